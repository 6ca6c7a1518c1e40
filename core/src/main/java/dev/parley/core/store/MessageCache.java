package dev.parley.core.store;

import dev.parley.DecodedMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest messages of one conversation, at most {@code cap}: those of earlier node histories
 * first, then the current history's by sequence. Beyond the cap the oldest go; a message at or
 * below what was dropped is not stored again (a late duplicate would only be dropped once more).
 * Not thread-safe.
 */
final class MessageCache {
    private final int cap;
    private final ArrayDeque<DecodedMessage> earlier = new ArrayDeque<>();
    private final TreeMap<Long, DecodedMessage> current = new TreeMap<>();
    private long droppedUpTo; // highest sequence of the current history dropped from the cache

    MessageCache(int cap) {
        this.cap = cap;
    }

    boolean put(DecodedMessage message, long sequence) {
        if (sequence <= droppedUpTo || current.putIfAbsent(sequence, message) != null) {
            return false;
        }
        while (earlier.size() + current.size() > cap) {
            if (!earlier.isEmpty()) {
                earlier.pollFirst();
            } else {
                Map.Entry<Long, DecodedMessage> oldest = current.pollFirstEntry();
                droppedUpTo = oldest.getKey();
            }
        }
        return true;
    }

    /** The node's history was replaced: what is cached stays, before whatever the new one brings. */
    void newHistory() {
        earlier.addAll(current.values());
        current.clear();
        droppedUpTo = 0;
    }

    List<DecodedMessage> all() {
        List<DecodedMessage> all = new ArrayList<>(earlier.size() + current.size());
        all.addAll(earlier);
        all.addAll(current.values());
        return all;
    }
}
