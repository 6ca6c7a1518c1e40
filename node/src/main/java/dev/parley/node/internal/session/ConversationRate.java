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
    private static final long SWEEP_EVERY_NS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private final double tokensPerNano;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}; tests move their own) */
    ConversationRate(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.tokensPerNano = perMinute / (double) TimeUnit.MINUTES.toNanos(1);
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
            double tokens = bucket == null ? perMinute : bucket.tokensAt(now);
            if (tokens >= 1) {
                taken[0] = true;
                tokens -= 1;
            }
            return new Bucket(tokens, now);
        });
        return taken[0];
    }

    /** Inboxes with a bucket (for tests: memory stays bounded). */
    int buckets() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_EVERY_NS && lastSweep.compareAndSet(last, now)) {
            // removes an entry only if it is still the bucket tested: a concurrent take is never lost
            buckets.entrySet().removeIf(e -> e.getValue().tokensAt(now) >= perMinute);
        }
    }

    /** Tokens left at {@code atNs}; immutable, replaced on every take. */
    private final class Bucket {
        private final double tokens;
        private final long atNs;

        Bucket(double tokens, long atNs) {
            this.tokens = tokens;
            this.atNs = atNs;
        }

        double tokensAt(long now) {
            return Math.min(perMinute, tokens + Math.max(0, now - atNs) * tokensPerNano);
        }
    }
}
