package dev.parley.core.store.sqlite;

import dev.parley.LocalStoreException;
import dev.parley.core.stream.SerialExecutor;
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
 * one commit for whatever is waiting when a commit starts (one SQLite commit for many transactions when
 * they come faster than commits). Commits are tasks of a {@linkplain SerialExecutor#yielding yielding}
 * serial executor on the JVM's shared store pool ({@link SharedThreads#STORE}): one at a time per
 * database, each behind the other databases' work, so a database holds no thread of its own and many
 * share a few. Delivery does not wait for the disk; reads wait for what was handed over before them
 * ({@link #awaitWritten()}), so a thread reads its own writes. At most {@value #MAX_QUEUED_ROWS} rows
 * wait; beyond that handing over waits until a commit made room (back-pressure on delivery: see
 * {@link #submit}). A failed commit fails every later call with its error.
 */
final class Writer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_QUEUED_ROWS = 50_000;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Database db;
    private final LongSupplier generation;
    private final Names names = new Names(); // used by one commit at a time
    private final SharedResource.Lease<ExecutorService> pool = SharedThreads.STORE.acquire();
    private final SerialExecutor commits = SerialExecutor.yielding(pool.get());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingWrites> queue = new ArrayDeque<>();
    private int queuedRows;
    private long handedOver;
    private long written;
    private boolean closed;
    private LocalStoreException failure;

    /** @param generation the current node history, read when a transaction is written */
    Writer(Database db, LongSupplier generation) {
        this.db = db;
        this.generation = generation;
    }

    /**
     * Hands {@code writes} over for the next commit. Waits while {@value #MAX_QUEUED_ROWS} rows are
     * queued: the store is then far behind delivery, and dropping or holding rows without bound are the
     * alternatives (commits run on the store pool, never on a caller's thread, so the wait always ends).
     */
    void submit(PendingWrites writes) {
        lock.lock();
        try {
            while (queuedRows > MAX_QUEUED_ROWS && failure == null && !closed) {
                changed.awaitUninterruptibly();
            }
            check();
            boolean idle = queue.isEmpty(); // else a commit is queued that takes these too
            queue.add(writes);
            queuedRows += writes.size();
            handedOver++;
            if (!idle) {
                return;
            }
        } finally {
            lock.unlock();
        }
        commits.execute(this::commitWaiting);
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

    /** Commits what waits now in one transaction; what is handed over meanwhile queues the next commit. */
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

    private LocalStoreException write(List<PendingWrites> batch) {
        try {
            db.transaction("write", sql -> {
                long current = generation.getAsLong();
                // every message of the commit, and every cursor at its highest
                PendingWrites gathered = new PendingWrites(current);
                for (PendingWrites writes : batch) {
                    writes.applyTo(sql, current, gathered);
                }
                gathered.writeGathered(sql, names);
                return null;
            });
            return null;
        } catch (LocalStoreException e) {
            names.forget();
            log.error("the client's database failed; nothing more is stored", e);
            return e;
        } catch (RuntimeException e) {
            names.forget();
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
            while (written < handedOver && failure == null && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (written < handedOver && failure == null) {
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
