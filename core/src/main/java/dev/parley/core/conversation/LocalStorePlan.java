package dev.parley.core.conversation;

import dev.parley.core.store.MessageStore;
import dev.parley.core.stream.StreamContext;
import dev.parley.core.stream.StreamPlan;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;

import java.util.HashSet;
import java.util.Set;

/**
 * A stream over the client's local store: it catches up by syncing, starts its topics at the
 * store's cursors, and advances those cursors as envelopes are stored. Only for topics it follows
 * from the store's cursor or from the start: a topic followed from "latest" skipped history the
 * store has not seen, so the store's cursor must not claim it.
 */
abstract class LocalStorePlan<T> implements StreamPlan<T> {
    private final MessageStore store;
    private final NodeHistory history;
    private final Syncer syncer;
    private final Set<String> continuous = new HashSet<>(); // serial

    LocalStorePlan(MessageStore store, Syncer syncer) {
        this.store = store;
        this.history = new NodeHistory(store);
        this.syncer = syncer;
    }

    @Override
    public final void catchUp() {
        syncer.sync();
    }

    /** Handles the envelope ({@link #handle}), then moves the store's cursor past it where that is true. */
    @Override
    public final void onEnvelope(Envelope envelope, StreamContext<T> context) {
        try {
            handle(envelope, context);
        } finally {
            if (continuous.contains(envelope.topic())) {
                store.advanceCursor(envelope.topic(), envelope.sequence());
            }
        }
    }

    /** What the stream makes of one new envelope (it is stored by the time this returns). */
    abstract void handle(Envelope envelope, StreamContext<T> context);

    @Override
    public void processed(String topic, long sequence) {
        // the store's cursors follow what is stored; only durable streams record what was handled
    }

    @Override
    public final String epoch() {
        return history.epoch();
    }

    /** The store forgets the old history (its conversations, messages and cursors); topics are asked again. */
    @Override
    public final void nodeReset(String nodeEpoch) {
        history.adopt(nodeEpoch);
        continuous.clear();
    }

    /** The store's cursor of {@code topic}, for the first subscription. */
    final long fromStore(String topic) {
        continuous.add(topic);
        return store.cursor(topic);
    }

    /** Follows {@code topic} from its first entry (a conversation created after the stream started). */
    final void followFromStart(StreamContext<T> context, String topic) {
        continuous.add(topic);
        context.addTopic(topic, 0);
    }

    /** Follows {@code topic} from its next entry on. */
    final void followFromNow(StreamContext<T> context, String topic) {
        continuous.remove(topic);
        context.addTopic(topic, Subscription.LATEST);
    }
}
