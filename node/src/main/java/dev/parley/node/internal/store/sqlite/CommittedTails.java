package dev.parley.node.internal.store.sqlite;

import dev.parley.spi.Envelope;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The newest committed entries of the topics written last, kept by the writer thread after each commit,
 * so that live subscribers read what was just published from memory instead of from the database: at
 * most {@code perTopic} entries of each of at most {@code maxTopics} topics, of at most {@code maxBytes}
 * together (the least recently written topics go first). Only entries of a committed transaction get
 * here, and a trim drops what it removes before its transaction commits. Reads take no lock
 * ({@link TopicTail}); a read the tails do not cover (older entries, a cold topic, after a restart)
 * returns null and goes to the database.
 */
final class CommittedTails {
    private final int perTopic;
    private final int maxTopics;
    private final long maxBytes;
    private final ConcurrentMap<String, TopicTail> byTopic = new ConcurrentHashMap<>();
    /** The same tails, least recently written first (writer thread only). */
    private final LinkedHashMap<String, TopicTail> written = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes; // writer thread only

    CommittedTails(int perTopic, int maxTopics, long maxBytes) {
        this.perTopic = perTopic;
        this.maxTopics = maxTopics;
        this.maxBytes = maxBytes;
    }

    /** See {@link TopicTail#read}; null also when the topic has no tail. */
    List<Envelope> read(String topic, long afterSequence, int limit, long upTo) {
        TopicTail tail = byTopic.get(topic);
        return tail == null ? null : tail.read(afterSequence, limit, upTo);
    }

    /**
     * Writer thread, once a transaction committed: keeps its new {@code entries} (in order), but not
     * those up to a sequence the same transaction trimmed off their topic ({@code trimmed}).
     */
    void committed(List<Envelope> entries, Map<String, Long> trimmed) {
        String topic = null;
        TopicTail tail = null;
        for (Envelope entry : entries) {
            if (!trimmed.isEmpty() && entry.sequence() <= trimmed.getOrDefault(entry.topic(), 0L)) {
                continue;
            }
            if (!entry.topic().equals(topic)) {
                topic = entry.topic();
                tail = tailOf(topic);
            }
            bytes += tail.add(entry);
            if (bytes > maxBytes || written.size() > maxTopics) {
                evict(tail);
            }
        }
    }

    /** Writer thread, while a trim runs: {@code topic}'s entries up to {@code lastRemoved} are going. */
    void trimmed(String topic, long lastRemoved) {
        TopicTail tail = byTopic.get(topic);
        if (tail != null) {
            bytes -= tail.dropThrough(lastRemoved);
        }
    }

    /** Drops every tail (the store closes: its writer has stopped). */
    void clear() {
        written.values().forEach(TopicTail::kill);
        written.clear();
        byTopic.clear();
        bytes = 0;
    }

    /** How many topics have a tail: for tests of the bound. */
    int topics() {
        return written.size();
    }

    /** How many bytes the tails hold: for tests of the bound. */
    long bytes() {
        return bytes;
    }

    private TopicTail tailOf(String topic) {
        TopicTail tail = written.get(topic); // now the most recently written
        if (tail == null) {
            tail = new TopicTail(perTopic);
            written.put(topic, tail);
            byTopic.put(topic, tail);
        }
        return tail;
    }

    /** Drops the least recently written tails, then the oldest entries of {@code current}, until within the bounds. */
    private void evict(TopicTail current) {
        Iterator<Map.Entry<String, TopicTail>> eldest = written.entrySet().iterator();
        while ((bytes > maxBytes || written.size() > maxTopics) && eldest.hasNext()) {
            Map.Entry<String, TopicTail> next = eldest.next();
            if (next.getValue() == current) {
                break;
            }
            eldest.remove();
            byTopic.remove(next.getKey());
            bytes -= next.getValue().kill();
        }
        while (bytes > maxBytes && !current.isEmpty()) {
            bytes -= current.dropOldest();
        }
    }
}
