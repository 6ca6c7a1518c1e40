package dev.parley.core.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Runs tasks one at a time, in submission order, on a shared pool; holds no thread while idle. */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;
    private volatile Thread runner;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
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
            }
        } finally {
            runner = null;
        }
    }
}
