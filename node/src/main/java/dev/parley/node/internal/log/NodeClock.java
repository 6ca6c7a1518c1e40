package dev.parley.node.internal.log;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Wall-clock nanoseconds since the epoch, strictly increasing across the whole node. */
public final class NodeClock {
    private final AtomicLong last = new AtomicLong();

    public long nowNs() {
        Instant now = Instant.now();
        long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return last.accumulateAndGet(wall, (prev, candidate) -> Math.max(prev + 1, candidate));
    }
}
