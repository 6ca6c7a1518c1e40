package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamOptions;
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

/** The client checks its node: a node that sends beyond the demand or off the stream's topics changes nothing it should not. */
class NodeMisbehaviourTest {
    private final FakeClockRuntime net = new FakeClockRuntime(Duration.ofSeconds(15), FakeClockRuntime.noJitter());
    private final EventLog log = new EventLog();
    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void envelopesBeyondTheGrantedDemandFailTheSubscriptionRetryablyAndTheStreamResubscribesFromItsCursor() {
        StreamOptions.Builder<String> options = log.record(StreamOptions.<String>builder()
                .bufferSize(4).retryDelay(Duration.ofMillis(1)), net.clock).onError(errors::add);
        net.runtime.start(new OneTopicPlan(), options.build());
        ScriptedSubscription first = net.transport.last();
        assertThat(first.initialDemand).isEqualTo(4);
        first.deliver(envelopes(1, 2));
        assertThat(first.requested).as("the two delivered, asked for again").isEqualTo(2);
        first.deliver(envelopes(3, 7)); // 5 envelopes for an outstanding demand of 4

        assertThat(errors).singleElement().isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e).hasMessageContaining("beyond the demand");
        });
        assertThat(first.cancelled).as("the violating subscription is dropped").isTrue();
        assertThat(log.events).as("nothing of the violating run is delivered").containsExactly("value:1", "value:2");

        net.clock.forward(Duration.ofMillis(1));
        ScriptedSubscription again = net.transport.last();
        assertThat(again).isNotSameAs(first);
        assertThat(again.cursors).isEqualTo(Map.of(TOPIC, 2L));
        assertThat(again.initialDemand).isEqualTo(4);
        again.deliver(envelopes(3, 6));
        assertThat(log.events).containsExactly("value:1", "value:2", "retry:1/10", "restart",
                "value:3", "value:4", "value:5", "value:6");
    }

    @Test
    void aPullStreamWhoseNodeOverrunsItsFullBufferKeepsWhatItHasAndAsksAgainFromItsCursor() throws Exception {
        MessageStream<String> stream = net.runtime.start(new OneTopicPlan(), StreamOptions.<String>builder()
                .bufferSize(3).retryDelay(Duration.ofMillis(1)).build());
        ScriptedSubscription first = net.transport.last();
        first.deliver(envelopes(1, 3));
        first.deliver(envelope(TOPIC, 4, "4")); // the buffer is full and nothing more was asked for
        assertThat(first.cancelled).isTrue();

        net.clock.forward(Duration.ofMillis(1));
        ScriptedSubscription again = net.transport.last();
        assertThat(again.cursors).isEqualTo(Map.of(TOPIC, 3L));
        assertThat(again.initialDemand).as("no room yet").isZero();
        List<String> read = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            read.add(stream.poll(Duration.ZERO).orElseThrow());
        }
        assertThat(again.requested).as("room again: asked for").isPositive();
        again.deliver(envelope(TOPIC, 4, "4"));
        read.add(stream.poll(Duration.ZERO).orElseThrow());
        assertThat(read).containsExactly("1", "2", "3", "4");
    }

    @Test
    void anEnvelopeForATopicTheStreamDoesNotFollowIsIgnored() {
        OneTopicPlan plan = new OneTopicPlan();
        net.runtime.start(plan, log.record(StreamOptions.<String>builder(), net.clock).build());
        ScriptedSubscription live = net.transport.last();
        live.deliver(envelope("conv/fedcba9876543210", 1, "foreign"), envelope(TOPIC, 1, "mine"));
        live.deliver(envelope("conv/fedcba9876543210", 2, "foreign again"));
        assertThat(log.events).containsExactly("value:mine");
        assertThat(plan.processed).containsExactly(1L);
        assertThat(live.cancelled).as("within demand: the subscription goes on").isFalse();
        live.deliver(envelope(TOPIC, 2, "next"));
        assertThat(log.events).containsExactly("value:mine", "value:next");
    }

    private static Envelope[] envelopes(int from, int to) {
        Envelope[] out = new Envelope[to - from + 1];
        for (int i = from; i <= to; i++) {
            out[i - from] = envelope(TOPIC, i, Integer.toString(i));
        }
        return out;
    }
}
