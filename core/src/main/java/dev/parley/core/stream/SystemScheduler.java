package dev.parley.core.stream;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The real clock ({@link System#nanoTime()}) and a {@link ScheduledExecutorService} for timers. */
public final class SystemScheduler implements Scheduler {
    private final ScheduledExecutorService timers;

    public SystemScheduler(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
