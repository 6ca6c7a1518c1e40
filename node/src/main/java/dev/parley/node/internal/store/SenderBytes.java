package dev.parley.node.internal.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payload bytes of the retained entries per sender, what {@link dev.parley.node.store.NodeStore#storedBytes}
 * answers: raised by appends, lowered by trims. A sender whose entries are all gone has no entry.
 * Thread-safe and lock-free: every append adds to its sender's total, so a total is a mutable counter
 * found with a plain map read (no map write, no boxed value per append). A total that reaches zero is
 * retired ({@link #RETIRED}, read as zero) and then removed; an add that finds it retired helps remove
 * it and starts a new one.
 */
public final class SenderBytes {
    private static final long RETIRED = Long.MIN_VALUE;

    private final ConcurrentMap<String, AtomicLong> bySender = new ConcurrentHashMap<>();

    /** Adds {@code bytes} (negative: removes them) to {@code sender}'s total. */
    public void add(String sender, long bytes) {
        if (bytes == 0) {
            return;
        }
        while (true) {
            AtomicLong total = bySender.get(sender);
            if (total == null) {
                total = bySender.putIfAbsent(sender, new AtomicLong(bytes));
                if (total == null) {
                    return;
                }
            }
            long held = total.get();
            if (held == RETIRED) {
                bySender.remove(sender, total);
                continue;
            }
            long next = held + bytes;
            if (total.compareAndSet(held, next == 0 ? RETIRED : next)) {
                if (next == 0) {
                    bySender.remove(sender, total);
                }
                return;
            }
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
        AtomicLong total = bySender.get(sender);
        long held = total == null ? 0 : total.get();
        return held == RETIRED ? 0 : held;
    }

    /** How many senders have an entry (once adds are over: those whose total is not zero). */
    int senders() {
        return bySender.size();
    }
}
