package dev.parley.internal.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

    /** One timer thread; tasks must be short and hand real work on. Cancelled tasks leave its queue at once. */
    public static final SharedResource<ScheduledExecutorService> TIMERS = new SharedResource<>("parley-shared-timer-",
            SharedThreads::timer, ScheduledExecutorService::shutdownNow);

    private static final long IDLE_SECONDS = 10;

    private SharedThreads() {
    }

    /** {@link #SIZE} threads at most, started when work comes and stopped after being idle for a while. */
    private static ExecutorService boundedPool(String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(SIZE, SIZE, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), NamedThreads.daemon(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, NamedThreads.daemon("parley-shared-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }
}
