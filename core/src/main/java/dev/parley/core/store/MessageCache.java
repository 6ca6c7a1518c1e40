package dev.parley.core.store;

import dev.parley.DecodedMessage;

import java.util.List;
import java.util.TreeMap;

/**
 * The latest messages of one conversation, at most {@code cap}, by sequence. Beyond the cap the
 * oldest go; a message at or below what was dropped is not stored again (a late duplicate would
 * only be dropped once more).
 * Not thread-safe.
 */
final class MessageCache {
    private final int cap;
    private final TreeMap<Long, DecodedMessage> current = new TreeMap<>();
    private long droppedUpTo; // highest sequence of the current history dropped from the cache

    MessageCache(int cap) {
        this.cap = cap;
    }

    boolean put(DecodedMessage message, long sequence) {
        if (sequence <= droppedUpTo || current.putIfAbsent(sequence, message) != null) {
            return false;
        }
        while (current.size() > cap) {
            droppedUpTo = current.pollFirstEntry().getKey();
        }
        return true;
    }

    List<DecodedMessage> all() {
        return List.copyOf(current.values());
    }
}
