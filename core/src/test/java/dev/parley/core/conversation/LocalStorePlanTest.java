package dev.parley.core.conversation;

import dev.parley.core.store.InMemoryMessageStore;
import dev.parley.core.stream.StreamContext;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's cursor moves once per delivered run, to the run's last envelope, and a new stream resumes after it. */
class LocalStorePlanTest {
    private static final String TOPIC = Topics.conversation("c".repeat(32));

    private final InMemoryMessageStore store = new InMemoryMessageStore(100);

    /** A plan over {@link #TOPIC} whose handling fails at {@code failingSequence} (0: never). */
    private LocalStorePlan<Object> plan(long failingSequence) {
        return new LocalStorePlan<>(store, null, null) {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(TOPIC, fromStore(TOPIC));
            }

            @Override
            void handle(Envelope envelope, StreamContext<Object> context) {
                if (envelope.sequence() == failingSequence) {
                    throw new IllegalStateException("handler failed");
                }
            }

            @Override
            public void processed(String topic, long sequence) {
            }
        };
    }

    private static Envelope envelope(long sequence) {
        return new Envelope(TOPIC, sequence, sequence, new byte[0], "k" + sequence, "sender");
    }

    /** Delivers {@code from..to} as one run, each envelope as the stream engine does (its failure is the stream's, not the run's). */
    private static void deliverRun(LocalStorePlan<Object> plan, long from, long to) {
        plan.handleRun(() -> {
            for (long sequence = from; sequence <= to; sequence++) {
                try {
                    plan.onEnvelope(envelope(sequence), null);
                } catch (IllegalStateException reported) {
                    // reported to the consumer; the stream goes on
                }
            }
        });
    }

    @Test
    void aRunMovesTheCursorToItsLastEnvelopeAndTheNextStreamResumesThere() {
        LocalStorePlan<Object> first = plan(3);
        assertThat(first.initialCursors()).containsEntry(TOPIC, 0L);
        deliverRun(first, 1, 5);
        assertThat(store.cursor(TOPIC)).isEqualTo(5);
        deliverRun(first, 6, 6);
        assertThat(store.cursor(TOPIC)).isEqualTo(6);

        assertThat(plan(0).initialCursors()).containsEntry(TOPIC, 6L); // after a close, from the next message
    }

    @Test
    void aRunCutShortMovesTheCursorPastWhatItHandledOnly() {
        LocalStorePlan<Object> first = plan(0);
        first.initialCursors();
        assertThatThrownBy(() -> first.handleRun(() -> {
            first.onEnvelope(envelope(1), null);
            first.onEnvelope(envelope(2), null);
            throw new IllegalStateException("the consumer's thread died mid-run");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store.cursor(TOPIC)).isEqualTo(2);
        assertThat(plan(0).initialCursors()).containsEntry(TOPIC, 2L); // message 3 is the next delivered
    }

    @Test
    void outsideARunTheCursorMovesAtOnce() {
        LocalStorePlan<Object> plan = plan(0);
        plan.initialCursors();
        plan.onEnvelope(envelope(1), null);
        assertThat(store.cursor(TOPIC)).isEqualTo(1);
    }

    @Test
    void aTopicNotFollowedFromTheStoreLeavesItsCursorAlone() {
        LocalStorePlan<Object> plan = plan(0); // initialCursors not asked: the topic is not followed from the store
        deliverRun(plan, 1, 3);
        assertThat(store.cursor(TOPIC)).isZero();
    }
}
