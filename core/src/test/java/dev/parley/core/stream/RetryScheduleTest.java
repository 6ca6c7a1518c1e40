package dev.parley.core.stream;

import dev.parley.LimitExceededException;
import dev.parley.MessageStream;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.core.stream.FakeClockRuntime.EventLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a stream retries, how often, and when it gives up: on a fake clock, to the millisecond. */
class RetryScheduleTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final TransportException DROPPED = new TransportException("connection dropped", true);

    private final FakeClockRuntime net = new FakeClockRuntime(HEARTBEAT, FakeClockRuntime.noJitter());
    private final EventLog log = new EventLog();

    @Test
    void backoffDoublesFrom250MillisecondsUpTo30Seconds() {
        MessageStream<String> stream = net.start(StreamOptions.<String>builder().retryAttempts(10), log);
        net.transport.failWith(DROPPED);
        net.transport.last().breakWith(DROPPED);
        List<Long> delays = new ArrayList<>();
        long lostAt = 0;
        for (int retry = 1; retry <= 10; retry++) {
            long before = net.transport.subscriptions.size();
            long delay = waitForNextSubscribe(before);
            delays.add(delay - lostAt);
            lostAt = delay;
        }
        assertThat(delays).containsExactly(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L,
                30_000L);
        assertThat(log.events).endsWith("error", "failed", "fail", "end");
        assertThat(stream.state()).isEqualTo(StreamState.FAILED);
        assertThat(net.clock.pending()).as("timers left behind").isZero();
    }

    @Test
    void equalJitterKeepsHalfOfEachDelayAndRandomizesTheOtherHalf() {
        FakeClockRuntime lowest = new FakeClockRuntime(HEARTBEAT, new java.util.Random() {
            @Override
            public long nextLong(long bound) {
                return 0;
            }
        });
        lowest.start(StreamOptions.builder(), log);
        lowest.transport.last().breakWith(DROPPED);
        lowest.clock.forward(Duration.ofMillis(124));
        assertThat(log.events).containsExactly("error");
        lowest.clock.forward(Duration.ofMillis(1));
        assertThat(log.events).containsExactly("error", "retry:1/10", "restart");
        assertThat(log.lastAt("retry:1/10")).isEqualTo(125);
    }

    @Test
    void aFixedDelayIsTheSameForEveryAttempt() {
        net.start(StreamOptions.<String>builder().retryDelay(Duration.ofSeconds(2)).retryAttempts(3), log);
        net.transport.failWith(DROPPED);
        net.transport.last().breakWith(DROPPED);
        net.clock.forward(Duration.ofMinutes(1));
        assertThat(log.events).containsExactly("error", "retry:1/3", "error", "retry:2/3", "error", "retry:3/3",
                "error", "failed", "fail", "end");
        assertThat(log.atMillis).containsExactly(0L, 2_000L, 2_000L, 4_000L, 4_000L, 6_000L, 6_000L, 6_000L, 6_000L,
                6_000L);
    }

    @Test
    void theCounterResetsOnceARestartedStreamStayedLiveForAHeartbeatInterval() {
        Duration heartbeat = Duration.ofMillis(200);
        FakeClockRuntime quick = new FakeClockRuntime(heartbeat, FakeClockRuntime.noJitter());
        quick.start(StreamOptions.<String>builder().retryAttempts(1).retryDelay(Duration.ofMillis(5)), log);
        for (int drop = 1; drop <= 4; drop++) {
            quick.transport.last().breakWith(DROPPED);
            quick.clock.forward(Duration.ofMillis(5));   // retried and live again
            quick.transport.last().heartbeat();
            quick.clock.forward(heartbeat);              // stayed live for an interval
            quick.transport.last().heartbeat();
        }
        assertThat(log.events).containsExactly("error", "retry:1/1", "restart", "error", "retry:1/1", "restart",
                "error", "retry:1/1", "restart", "error", "retry:1/1", "restart");
    }

    @Test
    void flappingWithoutAStablePeriodExhaustsTheAttempts() {
        MessageStream<String> stream = net.start(
                StreamOptions.<String>builder().retryAttempts(2).retryDelay(Duration.ofMillis(5)), log);
        for (int drop = 1; drop <= 3; drop++) {
            net.transport.last().breakWith(DROPPED);
            net.clock.forward(Duration.ofMillis(5));
            net.clock.forward(HEARTBEAT.minusMillis(10)); // live, but not for a whole interval
        }
        assertThat(log.events).containsExactly("error", "retry:1/2", "restart", "error", "retry:2/2", "restart",
                "error", "failed", "fail", "end");
        assertThat(stream.state()).isEqualTo(StreamState.FAILED);
    }

    @Test
    void endDuringARetryWaitStopsTheStreamForGood() {
        MessageStream<String> stream = net.start(
                StreamOptions.<String>builder().retryDelay(Duration.ofSeconds(1)), log);
        net.transport.last().breakWith(DROPPED);
        assertThat(stream.state()).isEqualTo(StreamState.RETRYING);
        stream.end();
        int subscribes = net.transport.subscriptions.size();
        net.clock.forward(Duration.ofHours(1));
        assertThat(log.events).containsExactly("error", "end");
        assertThat(net.transport.subscriptions).hasSize(subscribes);
        assertThat(stream.state()).isEqualTo(StreamState.ENDED);
        assertThat(net.clock.pending()).as("timers left behind").isZero();
    }

    @Test
    void aSubscriptionTheNodeNeverAcceptsFailsAfterTheRequestTimeoutAndIsRetried() {
        net.start(StreamOptions.<String>builder().retryDelay(Duration.ofMillis(100)), log);
        net.transport.neverAnswer();
        net.transport.last().breakWith(DROPPED);
        net.clock.forward(Duration.ofMillis(100));
        net.clock.forward(Duration.ofSeconds(10).minusMillis(1));
        assertThat(log.events).containsExactly("error", "retry:1/10");
        net.transport.accept();
        net.clock.forward(Duration.ofMillis(1));
        assertThat(log.events).containsExactly("error", "retry:1/10", "error");
        net.clock.forward(Duration.ofMillis(100));
        assertThat(log.events).containsExactly("error", "retry:1/10", "error", "retry:2/10", "restart");
        assertThat(net.transport.subscriptions.get(1).cancelled).isFalse(); // never accepted, nothing to cancel
    }

    @Test
    void aFirstAttemptThatMayNotBeRetriedThrowsAndRunsNoCallback() {
        net.transport.failWith(DROPPED);
        assertThatThrownBy(() -> net.start(StreamOptions.<String>builder().retryOnFail(false), log))
                .isInstanceOf(StreamFailedException.class).hasCause(DROPPED);
        assertThat(log.events).isEmpty();
        assertThat(net.clock.pending()).isZero();
    }

    @Test
    void aRateLimitIsRetriedWithTheNormalBackoff() {
        LimitExceededException rate = new LimitExceededException(LimitExceededException.CONVERSATIONS_PER_MINUTE,
                "too fast", true);
        net.start(StreamOptions.<String>builder().retryAttempts(10), log);
        net.transport.failWith(rate);
        net.transport.last().breakWith(DROPPED);
        List<Long> delays = new ArrayList<>();
        long lostAt = 0;
        for (int retry = 1; retry <= 4; retry++) {
            long at = waitForNextSubscribe(net.transport.subscriptions.size());
            delays.add(at - lostAt);
            lostAt = at;
        }
        assertThat(delays).containsExactly(250L, 500L, 1_000L, 2_000L);
    }

    @Test
    void aQuotaThatRetryingCannotHelpFailsTheStreamAtOnceWithoutRetrying() {
        LimitExceededException quota = new LimitExceededException(LimitExceededException.SUBSCRIPTIONS_PER_SESSION,
                "too many", false);
        MessageStream<String> stream = net.start(StreamOptions.<String>builder().retryAttempts(10), log);
        net.transport.failWith(quota);
        net.transport.last().breakWith(DROPPED);
        net.clock.forward(Duration.ofMinutes(10));
        assertThat(log.events).containsExactly("error", "retry:1/10", "error", "failed", "fail", "end");
        assertThat(net.transport.subscriptions).as("subscribes: the first, and one retry after the drop").hasSize(2);
        assertThat(stream.state()).isEqualTo(StreamState.FAILED);
        assertThat(net.clock.pending()).as("timers left behind").isZero();
    }

    @Test
    void aQuotaOnTheFirstAttemptThrowsWithoutRetrying() {
        LimitExceededException quota = new LimitExceededException(LimitExceededException.SESSIONS_PER_INBOX,
                "too many", false);
        net.transport.failWith(quota);
        assertThatThrownBy(() -> net.start(StreamOptions.<String>builder(), log))
                .isInstanceOf(StreamFailedException.class).hasCause(quota);
        assertThat(log.events).isEmpty();
        assertThat(net.clock.pending()).isZero();
    }

    /** Moves the clock 1 ms at a time until the stream subscribes again; returns the time it did. */
    private long waitForNextSubscribe(long subscribesBefore) {
        for (int ms = 0; ms <= 60_000; ms++) {
            if (net.transport.subscriptions.size() > subscribesBefore) {
                return Duration.ofNanos(net.clock.nanoTime()).toMillis();
            }
            net.clock.forward(Duration.ofMillis(1));
        }
        throw new AssertionError("no retry within a minute of fake time; events " + log.events);
    }
}
