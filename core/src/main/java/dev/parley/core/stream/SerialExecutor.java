package dev.parley.core.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared pool; holds no thread while idle. A
 * {@linkplain #yielding yielding} one also holds no thread between its tasks.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final boolean yielding;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;
    private volatile Thread runner;

    public SerialExecutor(Executor pool) {
        this(pool, false);
    }

    private SerialExecutor(Executor pool, boolean yielding) {
        this.pool = pool;
        this.yielding = yielding;
    }

    /**
     * One whose every task goes to the back of the pool's queue, behind other work, so that one busy
     * executor does not keep a pool thread to itself (for long tasks, such as a database's commits).
     */
    public static SerialExecutor yielding(Executor pool) {
        return new SerialExecutor(pool, true);
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (tasks) {
                tasks.clear();
                scheduled = false;
            }
            throw e;
        }
    }

    /** True on the thread currently running this executor's tasks. */
    boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            while (true) {
                Runnable task;
                synchronized (tasks) {
                    task = tasks.poll();
                    if (task == null) {
                        scheduled = false;
                        return;
                    }
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("stream task failed", e);
                }
                if (yielding) {
                    synchronized (tasks) {
                        if (tasks.isEmpty()) {
                            scheduled = false;
                            return;
                        }
                    }
                    break; // the next task waits its turn in the pool
                }
            }
        } finally {
            runner = null;
        }
        schedule();
    }
}
