package dev.parley.core.conversation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where a client's sync work runs: its tasks one at a time, in order, on the pool, or on the thread of a caller
 * waiting for a sync ({@link #await}), which runs them itself instead of waiting for the pool. The pool may be an
 * application's executor whose only thread is that caller (a callback that syncs), and a sync needs its next
 * task run to finish, so a waiter that left the tasks to the pool could wait for itself.
 */
final class SyncLane implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SyncLane.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
    private boolean running;   // guarded by this: a thread runs tasks
    private boolean scheduled; // guarded by this: a drain is queued on the pool

    SyncLane(Executor pool) {
        this.pool = pool;
    }

    /** @throws RejectedExecutionException when the pool refuses (the client closed) and nobody took the task */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            notifyAll(); // a waiter may run it
            if (running || scheduled) {
                return;
            }
            scheduled = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException closed) {
            synchronized (this) {
                scheduled = false;
                if (!tasks.remove(task)) {
                    return; // a waiter ran it meanwhile
                }
            }
            throw closed;
        }
    }

    /**
     * Waits for {@code sync}, running the lane's tasks meanwhile whenever no other thread does.
     *
     * @throws InterruptedException when interrupted while nothing was left to run
     */
    <T> T await(CompletableFuture<T> sync) throws InterruptedException, ExecutionException {
        sync.whenComplete((v, failure) -> wake());
        try {
            while (!sync.isDone()) {
                Runnable task;
                synchronized (this) {
                    task = running ? null : tasks.poll();
                    if (task != null) {
                        running = true;
                    } else if (!sync.isDone()) {
                        wait(); // until a task comes, a runner stops, or the sync is done
                        continue;
                    }
                }
                if (task != null) {
                    runThenRelease(task);
                }
            }
        } finally {
            handBack();
        }
        return sync.get();
    }

    private void drain() {
        synchronized (this) {
            scheduled = false;
            if (running) {
                return; // a waiter runs them
            }
            running = true;
        }
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    notifyAll();
                    return;
                }
            }
            run(task);
        }
    }

    private void runThenRelease(Runnable task) {
        try {
            run(task);
        } finally {
            synchronized (this) {
                running = false;
                notifyAll();
            }
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("a sync task failed outside its sync", e); // sync steps complete their futures themselves
        }
    }

    /** Tasks left when a waiter stops go back to the pool. */
    private void handBack() {
        synchronized (this) {
            if (running || scheduled || tasks.isEmpty()) {
                return;
            }
            scheduled = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException closed) {
            int dropped;
            synchronized (this) {
                scheduled = false;
                dropped = tasks.size();
            }
            log.debug("the client closed; {} sync tasks are dropped", dropped);
        }
    }

    private synchronized void wake() {
        notifyAll();
    }
}
