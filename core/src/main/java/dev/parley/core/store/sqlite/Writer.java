package dev.parley.core.store.sqlite;

import dev.parley.LocalStoreException;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Group commit: transactions handed over by delivering threads are written, in the order they came,
 * one commit at a time for whatever is waiting at once (one SQLite commit for many runs when they come
 * faster than commits). The commits run as tasks on the JVM's shared store pool ({@link SharedThreads#STORE}),
 * one task of this database at a time, so a database holds no thread of its own and many share a few.
 * Delivery does not wait for the disk; reads wait for what was handed over before them
 * ({@link #awaitWritten()}), so a thread reads its own writes. At most {@value #MAX_QUEUED_ROWS} rows wait;
 * beyond that handing over waits (back-pressure on delivery). A failed commit fails every later call with
 * its error.
 */
final class Writer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_QUEUED_ROWS = 50_000;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Database db;
    private final LongSupplier generation;
    private final SharedResource.Lease<ExecutorService> pool = SharedThreads.STORE.acquire();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingWrites> queue = new ArrayDeque<>();
    private int queuedRows;
    private long handedOver;
    private long written;
    private boolean committing; // a commit task of this database is queued or running
    private boolean closed;
    private LocalStoreException failure;

    /** @param generation the current node history, read when a transaction is written */
    Writer(Database db, LongSupplier generation) {
        this.db = db;
        this.generation = generation;
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
            if (committing) {
                return; // the commit under way takes it next
            }
            committing = true;
        } finally {
            lock.unlock();
        }
        pool.get().execute(this::commitWaiting);
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

    /**
     * Commits what waits now in one transaction; what was handed over meanwhile goes to the next task,
     * queued behind the other databases' so that one busy database does not keep a thread to itself.
     */
    private void commitWaiting() {
        List<PendingWrites> batch;
        lock.lock();
        try {
            batch = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        LocalStoreException failed = write(batch);
        boolean more;
        lock.lock();
        try {
            written += batch.size();
            batch.forEach(w -> queuedRows -= w.size());
            failure = failure == null ? failed : failure;
            more = !queue.isEmpty();
            committing = more;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (more) {
            pool.get().execute(this::commitWaiting);
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

    /** Writes what was handed over (waiting {@value #CLOSE_WAIT_SECONDS} s at most), then releases the shared pool. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            long left = TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
            while (committing && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (committing) {
                log.warn("the client's database writes did not finish within {} s", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        pool.close();
    }
}
