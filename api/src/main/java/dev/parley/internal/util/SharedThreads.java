package dev.parley.internal.util;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools all Parley clients of a JVM share, each bounded and made of daemon threads that
 * start on first use and end when the last client releases the pool ({@link SharedResource}). Users
 * take a lease and work through a view of their own ({@link ScopedExecutor}, {@link ScopedTimers}), so
 * closing one client cancels its timers and waits for its tasks without touching the others'.
 */
public final class SharedThreads {
    /** Threads of the pools for stream work and for blocking connects: one per core, at least two. */
    public static final int SIZE = Math.max(2, Runtime.getRuntime().availableProcessors());

    /**
     * Stream work: the streams' serial executors (which run the user's callbacks) and catch-ups. Bounded:
     * work queues up while every thread is busy (see {@code ClientOptions.Builder.callbackExecutor}).
     */
    public static final SharedResource<ExecutorService> WORK = new SharedResource<>("parley-shared-work-",
            () -> boundedPool("parley-shared-work"), ExecutorService::shutdown);

    /** Blocking waits that must not hold up stream work: connecting to a further endpoint, name look-ups. */
    public static final SharedResource<ExecutorService> BLOCKING = new SharedResource<>("parley-shared-blocking-",
            () -> boundedPool("parley-shared-blocking"), ExecutorService::shutdown);

    /**
     * Writes of the clients' SQLite databases ({@code ClientOptions.dbPath}): each database's commits run
     * one at a time, in order, as tasks here, so a thousand databases need no thousand threads. Only those
     * commits run here (nothing that waits for other work), so the pool never stalls on itself.
     */
    public static final SharedResource<ExecutorService> STORE = new SharedResource<>("parley-shared-store-",
            () -> boundedPool("parley-shared-store"), ExecutorService::shutdown);

    /** One timer thread; tasks must be short and hand real work on. Cancelled tasks leave its queue at once. */
    public static final SharedResource<ScheduledExecutorService> TIMERS = new SharedResource<>("parley-shared-timer-",
            SharedThreads::timer, ScheduledExecutorService::shutdownNow);

    private static final long IDLE_SECONDS = 10;

    private SharedThreads() {
    }

    /**
     * Waits for {@code future}. On a thread of a shared pool, the pool has one thread more while this
     * waits: what it waits for (another stream's start or end) may be queued behind it on the same pool,
     * and Parley's own waits must never use up the pool and stall every client.
     */
    public static <T> T join(CompletableFuture<T> future) {
        if (!(Thread.currentThread() instanceof PoolThread thread)) {
            return future.join();
        }
        resize(thread.pool, 1);
        try {
            return future.join();
        } finally {
            resize(thread.pool, -1);
        }
    }

    private static void resize(ThreadPoolExecutor pool, int by) {
        synchronized (pool) {
            if (by > 0) {
                pool.setMaximumPoolSize(pool.getMaximumPoolSize() + by);
                pool.setCorePoolSize(pool.getCorePoolSize() + by); // starts a thread for queued work
            } else {
                pool.setCorePoolSize(pool.getCorePoolSize() + by);
                pool.setMaximumPoolSize(pool.getMaximumPoolSize() + by);
            }
        }
    }

    /** {@link #SIZE} threads at most, started when work comes and stopped after being idle for a while. */
    private static ExecutorService boundedPool(String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(SIZE, SIZE, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
        AtomicInteger threads = new AtomicInteger();
        pool.setThreadFactory(task -> new PoolThread(task, name + "-" + threads.incrementAndGet(), pool));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A thread of one of the shared pools, which knows its pool (see {@link #join}). */
    private static final class PoolThread extends Thread {
        private final ThreadPoolExecutor pool;

        PoolThread(Runnable task, String name, ThreadPoolExecutor pool) {
            super(task, name);
            this.pool = pool;
            setDaemon(true);
        }
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, NamedThreads.daemon("parley-shared-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }
}
