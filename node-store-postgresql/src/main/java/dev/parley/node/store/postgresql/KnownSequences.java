package dev.parley.node.store.postgresql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topics this node's readers follow (those {@link PostgresNodeStore#read read} lately, at most
 * {@value #TOPICS}, least recently read dropped first) and, per topic, the last sequence readers here
 * were told of: what the reconcile compares with the database, to report entries whose hint was lost.
 * Thread-safe.
 */
final class KnownSequences {
    static final int TOPICS = 16_384;

    private final Map<String, Long> known = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > TOPICS;
        }
    };

    /** A reader read {@code topic} up to {@code sequence}: follow it, knowing at least that. */
    synchronized void read(String topic, long sequence) {
        known.merge(topic, sequence, Math::max);
    }

    /**
     * Readers here are told of {@code topic} up to {@code sequence}.
     *
     * @return whether that is news: the topic is followed and was known only to a lower sequence
     */
    synchronized boolean raise(String topic, long sequence) {
        Long last = known.get(topic);
        if (last == null || last >= sequence) {
            return false;
        }
        known.put(topic, sequence);
        return true;
    }

    /** The followed topics, in chunks of at most {@code chunk}. */
    synchronized List<List<String>> topics(int chunk) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>(chunk);
        for (String topic : known.keySet()) {
            if (current.size() == chunk) {
                chunks.add(current);
                current = new ArrayList<>(chunk);
            }
            current.add(topic);
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
