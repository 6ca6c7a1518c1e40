package dev.parley.core.stream;

import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.Shutdown;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The threads a client's streams run on: a pool for their serial executors and catch-ups (threads
 * exist only while there is work) and one timer thread. Closed after the streams have ended.
 */
public final class StreamThreads implements AutoCloseable {
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final Scheduler scheduler;

    public StreamThreads(String name) {
        this.pool = Executors.newCachedThreadPool(NamedThreads.daemon("parley-" + name + "-stream"));
        this.timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("parley-" + name + "-timer"));
        this.scheduler = new SystemScheduler(timers);
    }

    public Executor pool() {
        return pool;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Stops the timer at once and lets running stream work finish (10 s at most). */
    @Override
    public void close() {
        Shutdown.stop(pool, timers, Duration.ofSeconds(10));
    }
}
