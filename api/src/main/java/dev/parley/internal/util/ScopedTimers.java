package dev.parley.internal.util;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One user's view of a shared timer: it keeps the user's pending tasks so that {@link #shutdownNow()}
 * (or {@link #shutdown()}, which does the same) cancels exactly those, and refuses new ones afterwards.
 * A one-shot task leaves the view when it has run, any task when it is cancelled.
 */
public final class ScopedTimers extends AbstractExecutorService implements ScheduledExecutorService {
    private final ScheduledExecutorService timers;
    private final Set<Tracked<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ScopedTimers(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return track(tracked -> erased(timers.schedule(() -> {
            try {
                task.run();
            } finally {
                pending.remove(tracked);
            }
        }, delay, unit)));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
        return track(tracked -> timers.schedule(() -> {
            try {
                return task.call();
            } finally {
                pending.remove(tracked);
            }
        }, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return track(tracked -> erased(timers.scheduleAtFixedRate(task, initialDelay, period, unit)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        return track(tracked -> erased(timers.scheduleWithFixedDelay(task, initialDelay, delay, unit)));
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    /** Like {@link #shutdownNow()}: pending timers of this view never run. */
    @Override
    public void shutdown() {
        shutdownNow();
    }

    @Override
    public List<Runnable> shutdownNow() {
        closed = true;
        List.copyOf(pending).forEach(t -> t.cancel(false));
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return closed;
    }

    @Override
    public boolean isTerminated() {
        return closed;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return closed;
    }

    /** Number of this view's tasks still pending (for tests and diagnostics). */
    public int pending() {
        return pending.size();
    }

    @SuppressWarnings("unchecked") // a Runnable's future yields nothing: any type argument fits
    private static ScheduledFuture<Object> erased(ScheduledFuture<?> future) {
        return (ScheduledFuture<Object>) future;
    }

    private <V> ScheduledFuture<V> track(Function<Tracked<V>, ScheduledFuture<V>> scheduling) {
        Tracked<V> tracked = new Tracked<>();
        pending.add(tracked);
        if (closed) {
            pending.remove(tracked);
            throw new RejectedExecutionException("timers closed");
        }
        ScheduledFuture<V> future;
        try {
            future = scheduling.apply(tracked);
        } catch (RuntimeException e) {
            pending.remove(tracked);
            throw e;
        }
        tracked.attach(future);
        if (future.isDone()) {
            pending.remove(tracked);
        }
        return tracked;
    }

    /** The caller's handle: cancelling it also forgets it. A close may cancel it before it is attached. */
    private final class Tracked<V> implements ScheduledFuture<V> {
        private volatile ScheduledFuture<V> future;
        private volatile boolean cancelled;

        void attach(ScheduledFuture<V> scheduled) {
            future = scheduled;
            if (cancelled) {
                scheduled.cancel(false);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            pending.remove(this);
            ScheduledFuture<V> f = future;
            return f == null || f.cancel(mayInterruptIfRunning);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return future.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }

        @Override
        public boolean isDone() {
            return future.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return future.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(timeout, unit);
        }
    }
}
