package dev.parley.internal.util;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One user's view of a shared {@link Executor}: it counts the tasks given to it, refuses new ones once
 * closed, and {@link #close(Duration)} waits for its own tasks only, not for the other users' ones.
 */
public final class ScopedExecutor implements Executor {
    private final Executor pool;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private int inFlight;       // queued or running; guarded by this
    private boolean closed;     // guarded by this
    private volatile boolean abandoned; // tasks still queued after the close's grace are dropped

    public ScopedExecutor(Executor pool) {
        this.pool = pool;
    }

    /** @throws RejectedExecutionException once closed (or when the pool refuses) */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            inFlight++;
        }
        try {
            pool.execute(() -> run(task));
        } catch (RuntimeException e) {
            done();
            throw e;
        }
    }

    /**
     * Refuses new tasks and waits up to {@code grace} for the queued and running ones (not counting one
     * that is running this close); those still queued after that are dropped. Idempotent.
     *
     * @return false when tasks were still running or queued after {@code grace}
     */
    public boolean close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        int own = running.contains(Thread.currentThread()) ? 1 : 0;
        synchronized (this) {
            closed = true;
            try {
                for (long left = grace.toNanos(); inFlight > own && left > 0; left = deadline - System.nanoTime()) {
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (inFlight > own) {
                abandoned = true;
                return false;
            }
            return true;
        }
    }

    private void run(Runnable task) {
        Thread me = Thread.currentThread();
        running.add(me);
        try {
            if (!abandoned) {
                task.run();
            }
        } finally {
            running.remove(me);
            done();
        }
    }

    private synchronized void done() {
        if (--inFlight == 0) {
            notifyAll();
        }
    }
}
