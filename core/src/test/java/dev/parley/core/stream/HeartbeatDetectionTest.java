package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.core.stream.FakeClockRuntime.EventLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection that goes silent (no FIN, a stalled proxy) is noticed after two heartbeat intervals, not before. */
class HeartbeatDetectionTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration CHECK = HEARTBEAT.dividedBy(4);

    private final FakeClockRuntime net = new FakeClockRuntime(HEARTBEAT, FakeClockRuntime.noJitter());
    private final EventLog log = new EventLog();

    @Test
    void silenceLongerThanTwoIntervalsIsADisconnect() {
        net.start(StreamOptions.<String>builder().retryDelay(Duration.ofSeconds(1)), log);
        net.clock.forward(HEARTBEAT.multipliedBy(2));
        assertThat(log.events).as("silent for exactly two intervals").isEmpty();
        net.clock.forward(CHECK);
        assertThat(log.events).containsExactly("error");
        assertThat(log.lastAt("error")).isEqualTo(HEARTBEAT.multipliedBy(2).plus(CHECK).toMillis());
        assertThat(net.transport.last().cancelled).as("the silent subscription is let go").isTrue();
    }

    @Test
    void heartbeatsKeepAnIdleStreamLive() {
        MessageStream<String> stream = net.start(StreamOptions.builder(), log);
        for (int i = 0; i < 100; i++) {
            net.clock.forward(HEARTBEAT);
            net.transport.last().heartbeat();
        }
        assertThat(log.events).isEmpty();
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);
    }

    @Test
    void envelopesCountAsSignsOfLife() {
        net.start(StreamOptions.builder(), log);
        for (int i = 1; i <= 50; i++) {
            net.clock.forward(HEARTBEAT.multipliedBy(3).dividedBy(2));
            net.transport.last().deliver(ScriptedTransport.envelope(FakeClockRuntime.TOPIC, i, "m" + i));
        }
        assertThat(log.events).hasSize(50).allMatch(e -> e.startsWith("value:"));
    }

    @Test
    void theSilenceClockStartsAgainWhenARetryGoesLive() {
        net.start(StreamOptions.<String>builder().retryDelay(Duration.ofSeconds(1)), log);
        net.clock.forward(HEARTBEAT.multipliedBy(2).plus(CHECK));      // silent: dropped, retry in 1 s
        net.clock.forward(Duration.ofSeconds(1));                      // live again
        assertThat(log.events).containsExactly("error", "retry:1/10", "restart");
        net.clock.forward(HEARTBEAT.multipliedBy(2));
        assertThat(log.events).as("a new connection gets its full two intervals").hasSize(3);
        net.clock.forward(CHECK);
        assertThat(log.events).containsExactly("error", "retry:1/10", "restart", "error");
    }

    @Test
    void aStreamThatEndedLeavesNoWatchdogBehind() {
        MessageStream<String> stream = net.start(StreamOptions.builder(), log);
        stream.end();
        assertThat(net.clock.pending()).isZero();
    }
}
