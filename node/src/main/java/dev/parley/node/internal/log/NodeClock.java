package dev.parley.node.internal.log;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Wall-clock nanoseconds since the epoch, strictly increasing across the whole node. */
public final class NodeClock {
    private final Clock wallClock;
    private final AtomicLong last = new AtomicLong();

    /** The system clock (UTC). */
    public NodeClock() {
        this(Clock.systemUTC());
    }

    /** Reads {@code wallClock}, e.g. a test clock that is moved forward by hand. */
    public NodeClock(Clock wallClock) {
        this.wallClock = wallClock;
    }

    public long nowNs() {
        Instant now = wallClock.instant();
        long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return last.accumulateAndGet(wall, (prev, candidate) -> Math.max(prev + 1, candidate));
    }
}
