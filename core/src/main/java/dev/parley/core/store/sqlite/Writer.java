package dev.parley.core.store.sqlite;

import dev.parley.LocalStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Group commit: transactions handed over by delivering threads are written, in the order they came,
 * by one thread that commits whatever is waiting at once (one SQLite commit for many runs when
 * they come faster than commits). Delivery does not wait for the disk; reads wait for what was
 * handed over before them ({@link #awaitWritten()}), so a thread reads its own writes. At most
 * {@value #MAX_QUEUED_ROWS} rows wait; beyond that handing over waits (back-pressure on delivery).
 * A failed commit fails every later call with its error.
 */
final class Writer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_QUEUED_ROWS = 50_000;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Database db;
    private final LongSupplier generation;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingWrites> queue = new ArrayDeque<>();
    private final Thread thread;
    private int queuedRows;
    private long handedOver;
    private long written;
    private boolean closed;
    private LocalStoreException failure;

    /** @param generation the current node history, read when a transaction is written */
    Writer(Database db, LongSupplier generation, String name) {
        this.db = db;
        this.generation = generation;
        this.thread = new Thread(this::run, "parley-store-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands {@code writes} over for the next commit. */
    void submit(PendingWrites writes) {
        lock.lock();
        try {
            while (queuedRows > MAX_QUEUED_ROWS && failure == null && !closed) {
                changed.awaitUninterruptibly();
            }
            check();
            queue.add(writes);
            queuedRows += writes.size();
            handedOver++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything handed over so far is committed. */
    void awaitWritten() {
        lock.lock();
        try {
            long target = handedOver;
            while (written < target && failure == null) {
                changed.awaitUninterruptibly();
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("the client's database is closed");
        }
    }

    private void run() {
        while (true) {
            List<PendingWrites> batch = new ArrayList<>();
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch.addAll(queue);
                queue.clear();
            } finally {
                lock.unlock();
            }
            LocalStoreException failed = write(batch);
            lock.lock();
            try {
                written += batch.size();
                batch.forEach(w -> queuedRows -= w.size());
                failure = failure == null ? failed : failure;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private LocalStoreException write(List<PendingWrites> batch) {
        try {
            db.transaction("write", sql -> {
                long current = generation.getAsLong();
                for (PendingWrites writes : batch) {
                    writes.applyTo(sql, current);
                }
                return null;
            });
            return null;
        } catch (LocalStoreException e) {
            log.error("the client's database failed; nothing more is stored", e);
            return e;
        } catch (RuntimeException e) {
            log.error("the client's database failed; nothing more is stored", e);
            return new LocalStoreException(LocalStoreException.Reason.CORRUPT, "writing failed: " + e.getMessage(), e);
        }
    }

    /** Writes what was handed over, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("the client's database writer did not finish within {} s", CLOSE_WAIT_SECONDS);
        }
    }
}
