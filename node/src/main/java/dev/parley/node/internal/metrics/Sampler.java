package dev.parley.node.internal.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets through at most one sample per interval, whatever the rate of calls: a measurement on the hot
 * path costs one {@link System#nanoTime()} and one volatile read when it is not taken.
 */
final class Sampler {
    private final long intervalNs;
    private final AtomicLong last;

    Sampler(long intervalNs) {
        this.intervalNs = intervalNs;
        this.last = new AtomicLong(System.nanoTime() - intervalNs);
    }

    /** True for the first call of each interval (one caller wins when several race). */
    boolean take(long nowNs) {
        long previous = last.get();
        return nowNs - previous >= intervalNs && last.compareAndSet(previous, nowNs);
    }
}
