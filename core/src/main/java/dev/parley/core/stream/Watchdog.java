package dev.parley.core.stream;

import java.time.Duration;

/**
 * Notices a silent connection (no FIN, a stalled proxy): anything heard from the node counts as
 * activity, and a check every quarter interval lets the stream ask whether it has been silent for
 * more than two heartbeat intervals.
 */
final class Watchdog {
    private final Scheduler scheduler;
    private final long limitNanos;
    private final Duration checkEvery;
    private final Runnable onCheck;
    private volatile long lastHeard;
    private Scheduler.Timer check; // guarded by this
    private boolean stopped;      // guarded by this

    /** @param onCheck runs on the timer thread at every check; it must hand work on */
    Watchdog(Scheduler scheduler, Duration heartbeatInterval, Runnable onCheck) {
        this.scheduler = scheduler;
        this.limitNanos = 2 * heartbeatInterval.toNanos();
        this.checkEvery = Duration.ofNanos(Math.max(1, heartbeatInterval.toNanos() / 4));
        this.onCheck = onCheck;
        this.lastHeard = scheduler.nanoTime();
    }

    /** The node was heard from (any thread). */
    void heard() {
        lastHeard = scheduler.nanoTime();
    }

    /** Nothing heard for more than two heartbeat intervals. */
    boolean silent() {
        return silentNanos() > limitNanos;
    }

    long silentNanos() {
        return scheduler.nanoTime() - lastHeard;
    }

    synchronized void start() {
        if (!stopped) {
            arm();
        }
    }

    synchronized void stop() {
        stopped = true;
        if (check != null) {
            check.cancel();
        }
    }

    private void arm() {
        check = scheduler.scheduleIfRunning(checkEvery, this::check);
    }

    private void check() {
        onCheck.run();
        synchronized (this) {
            if (!stopped) {
                arm();
            }
        }
    }
}
