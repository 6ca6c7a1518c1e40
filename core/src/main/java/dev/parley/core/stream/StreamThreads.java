package dev.parley.core.stream;

import dev.parley.internal.util.ScopedExecutor;
import dev.parley.internal.util.ScopedTimers;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The threads a client's streams run on, none of them the client's own: its serial executors and
 * catch-ups run on the JVM's shared stream pool ({@link SharedThreads#WORK}) or on the application's
 * callback executor, its timers on the shared timer. Closing it (after the streams have ended) cancels
 * the client's timers, waits for its running work (10 s at most) and releases the shared pools.
 */
public final class StreamThreads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamThreads.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final SharedResource.Lease<ExecutorService> work; // null with the application's executor
    private final SharedResource.Lease<ScheduledExecutorService> timerLease;
    private final ScopedExecutor pool;
    private final ScopedTimers timers;
    private final Scheduler scheduler;

    /** @param callbackExecutor where the streams' work and callbacks run; {@code null}: the shared stream pool */
    public StreamThreads(Executor callbackExecutor) {
        this.work = callbackExecutor == null ? SharedThreads.WORK.acquire() : null;
        this.timerLease = SharedThreads.TIMERS.acquire();
        this.pool = new ScopedExecutor(callbackExecutor == null ? work.get() : callbackExecutor);
        this.timers = new ScopedTimers(timerLease.get());
        this.scheduler = new SystemScheduler(timers);
    }

    public Executor pool() {
        return pool;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Cancels the timers at once and lets running stream work finish (10 s at most). */
    @Override
    public void close() {
        timers.shutdownNow();
        if (!pool.close(GRACE)) {
            log.warn("stream work still running {} after the client closed; its queued work is dropped", GRACE);
        }
        if (work != null) {
            work.close();
        }
        timerLease.close();
    }
}
