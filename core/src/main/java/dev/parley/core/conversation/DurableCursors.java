package dev.parley.core.conversation;

import dev.parley.core.store.MessageStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The progress of one durable stream ({@code StreamOptions.durable(name)}): per topic, the highest
 * sequence its consumer handled, read once when the stream starts and written back in batches
 * (with the run that handled it, or once per batch of acknowledgements). Serial (the stream's
 * executor).
 */
final class DurableCursors {
    private final MessageStore store;
    private final String name;
    private final Map<String, Long> pending = new HashMap<>();
    private Map<String, Long> stored;
    private String epoch; // the node history the cursors belong to

    private DurableCursors(MessageStore store, String name) {
        this.store = store;
        this.name = name;
        this.epoch = store.followedEpoch();
    }

    /** The durable progress {@code name} names, or null for a stream that is not durable. */
    static DurableCursors of(MessageStore store, Optional<String> name) {
        if (name.isEmpty()) {
            return null;
        }
        if (!store.persistent()) {
            throw new IllegalArgumentException("durable stream '" + name.get() + "' needs a database: "
                    + "set ClientOptions.builder().dbPath(..) (the in-memory store forgets its progress on close)");
        }
        return new DurableCursors(store, name.get());
    }

    /**
     * Where {@code topic} starts: after what the stream handled before; for a topic it never
     * followed, {@code otherwise} on its first run, or the topic's first entry when the stream ran
     * before (the topic came while it was away, e.g. a conversation created meanwhile).
     */
    long start(String topic, long otherwise) {
        Long handled = stored().get(topic);
        long start = handled != null ? handled : stored().isEmpty() ? otherwise : 0;
        followed(topic, start);
        return start;
    }

    /** The stream follows {@code topic} after {@code cursor}: a restart must know it did. */
    void followed(String topic, long cursor) {
        if (!stored().containsKey(topic)) {
            pending.putIfAbsent(topic, cursor);
        }
    }

    /** The consumer has handled everything of {@code topic} up to {@code sequence}. */
    void handled(String topic, long sequence) {
        pending.merge(topic, sequence, Math::max);
    }

    /** Writes what changed, as one transaction (or within the caller's). */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Long> writes = new HashMap<>(pending);
        pending.clear();
        store.inTransaction(epoch, () -> writes.forEach((topic, sequence) -> store.advanceDurableCursor(name, topic, sequence)));
        writes.forEach((topic, sequence) -> stored().merge(topic, sequence, Math::max));
    }

    /** The node's history was replaced: every cursor of the old one is gone (the store dropped them too). */
    void reset() {
        pending.clear();
        stored = new HashMap<>();
        epoch = store.followedEpoch();
    }

    private Map<String, Long> stored() {
        if (stored == null) {
            stored = new HashMap<>(store.durableCursors(name));
        }
        return stored;
    }
}
