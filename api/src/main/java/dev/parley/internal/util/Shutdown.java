package dev.parley.internal.util;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping Parley's own thread pools the same way everywhere. */
public final class Shutdown {
    private Shutdown() {
    }

    /**
     * Stops {@code timers} at once (pending timers are dropped) and lets the tasks running on
     * {@code work} finish for up to {@code grace}, interrupting them after that.
     */
    public static void stop(ExecutorService work, ScheduledExecutorService timers, Duration grace) {
        timers.shutdownNow();
        work.shutdown();
        try {
            if (!work.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                work.shutdownNow();
            }
            timers.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            work.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
