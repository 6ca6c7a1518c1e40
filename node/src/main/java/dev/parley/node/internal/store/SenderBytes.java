package dev.parley.node.internal.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Payload bytes of the retained entries per sender, what {@link dev.parley.node.store.NodeStore#storedBytes}
 * answers: raised by appends, lowered by trims. A sender whose entries are all gone has no entry.
 * Thread-safe.
 */
public final class SenderBytes {
    private final ConcurrentMap<String, Long> bySender = new ConcurrentHashMap<>();

    /** Adds {@code bytes} (negative: removes them) to {@code sender}'s total. */
    public void add(String sender, long bytes) {
        if (bytes != 0) {
            bySender.merge(sender, bytes, (held, more) -> held + more == 0 ? null : held + more);
        }
    }

    /** Adds every sender's bytes of {@code totals}. */
    public void addAll(Map<String, Long> totals) {
        totals.forEach(this::add);
    }

    /** Removes every sender's bytes of {@code freed}. */
    public void removeAll(Map<String, Long> freed) {
        freed.forEach((sender, bytes) -> add(sender, -bytes));
    }

    public long of(String sender) {
        return bySender.getOrDefault(sender, 0L);
    }
}
