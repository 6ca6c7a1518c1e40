package dev.parley.node.internal.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Conversations each inbox may create: a token bucket per inbox holding up to a minute's worth,
 * refilled continuously at {@code perMinute} a minute, one token per conversation. A bucket that
 * has refilled is the same as none, so full buckets are dropped (at most once a minute, by
 * whichever call comes): only inboxes that created conversations in the last minute or two take
 * memory. Thread-safe.
 */
final class ConversationRate {
    /** A full bucket's refill time; also how often full buckets are dropped. */
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    /** What one conversation costs, in nanoseconds of refilling; a full bucket holds a minute of it. */
    private final long tokenNs;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}; tests move their own) */
    ConversationRate(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.tokenNs = MINUTE_NS / perMinute;
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    int perMinute() {
        return perMinute;
    }

    /** Takes one token of {@code inbox}'s bucket; false when it is empty. */
    boolean tryAcquire(String inbox) {
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        boolean[] taken = {false};
        buckets.compute(inbox, (k, bucket) -> {
            long credit = bucket == null ? MINUTE_NS : bucket.creditAt(now);
            if (credit >= tokenNs) {
                taken[0] = true;
                credit -= tokenNs;
            }
            return new Bucket(credit, now);
        });
        return taken[0];
    }

    /** Inboxes with a bucket (for tests: memory stays bounded). */
    int buckets() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last >= MINUTE_NS && lastSweep.compareAndSet(last, now)) {
            // removes an entry only if it is still the bucket tested: a concurrent take is never lost
            buckets.entrySet().removeIf(e -> e.getValue().creditAt(now) >= MINUTE_NS);
        }
    }

    /**
     * What is left at {@code atNs}, in nanoseconds of refilling (exact integer arithmetic: a token
     * refills in {@code tokenNs}); immutable, replaced on every take.
     */
    private static final class Bucket {
        private final long creditNs;
        private final long atNs;

        Bucket(long creditNs, long atNs) {
            this.creditNs = creditNs;
            this.atNs = atNs;
        }

        long creditAt(long now) {
            return Math.min(MINUTE_NS, creditNs + Math.max(0, now - atNs));
        }
    }
}
