package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.core.stream.FakeClockRuntime.EventLog;
import dev.parley.core.stream.FakeClockRuntime.OneTopicPlan;
import dev.parley.core.stream.ScriptedTransport.ScriptedSubscription;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.parley.core.stream.FakeClockRuntime.TOPIC;
import static dev.parley.core.stream.ScriptedTransport.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine's bookkeeping on a scripted transport: cursors, the processed hook, demand, completion. */
class StreamEngineTest {
    private final FakeClockRuntime net = new FakeClockRuntime(Duration.ofSeconds(15), FakeClockRuntime.noJitter());
    private final EventLog log = new EventLog();

    @Test
    void aResubscriptionStartsAfterTheLastProcessedEnvelopeAndDuplicatesAreDropped() {
        OneTopicPlan plan = new OneTopicPlan();
        net.runtime.start(plan, log.record(StreamOptions.<String>builder().retryDelay(Duration.ofMillis(1)), net.clock)
                .build());
        net.transport.last().deliver(envelope(TOPIC, 1, "a"), envelope(TOPIC, 2, "b"));
        net.transport.last().breakWith(new TransportException("reset", true));
        net.clock.forward(Duration.ofMillis(1));
        ScriptedSubscription again = net.transport.last();
        assertThat(again.cursors).isEqualTo(Map.of(TOPIC, 2L));
        again.deliver(envelope(TOPIC, 2, "b"), envelope(TOPIC, 3, "c"));
        assertThat(log.events).containsExactly("value:a", "value:b", "error", "retry:1/10", "restart", "value:c");
        assertThat(plan.processed).as("processed once each, in order").containsExactly(1L, 2L, 3L);
        assertThat(plan.catchUps).as("a catch-up before each attempt").isEqualTo(2);
    }

    @Test
    void pullModeAsksForNoMoreThanTheBufferHoldsAndForMoreAsTheConsumerTakes() throws Exception {
        MessageStream<String> stream = net.runtime.start(new OneTopicPlan(),
                StreamOptions.<String>builder().bufferSize(8).build());
        ScriptedSubscription live = net.transport.last();
        assertThat(live.initialDemand).isEqualTo(8);
        live.deliver(envelopes(1, 8));
        assertThat(live.requested).as("buffer full: nothing more").isZero();
        List<String> read = new ArrayList<>();
        for (int taken = 1; taken <= 8; taken++) {
            read.add(stream.poll(Duration.ZERO).orElseThrow());
            // never more than the room the consumer made; at most one slot (below a quarter window) unasked
            assertThat(live.requested).as("requested after taking %d", taken).isBetween(taken - 1L, (long) taken);
        }
        assertThat(read).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
    }

    @Test
    void aPlanThatCompletesEndsTheStreamAndPullConsumersStillReadWhatCameBefore() throws Exception {
        OneTopicPlan plan = new OneTopicPlan() {
            @Override
            public void onEnvelope(Envelope envelope, StreamContext<String> context) {
                super.onEnvelope(envelope, context);
                if (envelope.sequence() == 2) {
                    context.complete();
                }
            }
        };
        List<String> ended = new ArrayList<>();
        MessageStream<String> stream = net.runtime.start(plan,
                StreamOptions.<String>builder().onEnd(() -> ended.add("end")).build());
        net.transport.last().deliver(envelopes(1, 3));
        assertThat(ended).containsExactly("end");
        assertThat(stream.state()).isEqualTo(StreamState.ENDED);
        assertThat(net.transport.last().cancelled).isTrue();
        List<String> read = new ArrayList<>();
        stream.forEach(read::add);
        assertThat(read).containsExactly("1", "2");
        assertThat(plan.processed).containsExactly(1L, 2L);
        assertThat(net.clock.pending()).isZero();
    }

    private static Envelope[] envelopes(int from, int to) {
        Envelope[] out = new Envelope[to - from + 1];
        for (int i = from; i <= to; i++) {
            out[i - from] = envelope(TOPIC, i, Integer.toString(i));
        }
        return out;
    }
}
