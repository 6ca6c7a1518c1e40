package dev.parley.node.internal.store.sqlite;

import dev.parley.internal.util.NamedThreads;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group commit: every write goes to one queue, drained by one writer thread; whatever is waiting
 * when the thread comes round is one transaction (at most {@value #MAX_BATCH} writes), so one
 * fsync serves many publishes. Writes are applied in the order they were submitted. New entries
 * are reported right after the commit (on the writer thread; the listener only hands work on);
 * futures complete after the commit too, in chunks on a small pool, so the writer goes straight
 * on to the next batch and the callers' continuations (network sends) run in parallel. A failed batch fails its writes with a
 * {@link StoreException}; the writer goes on with the next one.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 2048;
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    private static final int COMPLETION_CHUNK = 32;
    private static final int COMPLETION_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final BatchFactory batches;
    private WriteBatch batch; // writer thread only; null after a failure until a new one is prepared
    private final Path database;
    private final Consumer<List<Envelope>> onCommitted;
    private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();
    private final ExecutorService completions;
    private final Thread thread;
    private boolean closed;

    /** Prepares the statements of the writer connection (again after a failure: the driver may have finalized them). */
    interface BatchFactory {
        WriteBatch prepare() throws SQLException;
    }

    /** {@code onCommitted} gets each batch's new entries after its commit, on the writer thread. */
    GroupCommitWriter(BatchFactory batches, Path database, String name, Consumer<List<Envelope>> onCommitted)
            throws SQLException {
        this.batches = batches;
        this.batch = batches.prepare();
        this.database = database;
        this.onCommitted = onCommitted;
        this.completions = Executors.newFixedThreadPool(COMPLETION_THREADS,
                NamedThreads.daemon(name + "-commits"));
        this.thread = NamedThreads.daemon(name + "-writer").newThread(this::run);
        thread.start();
    }

    /** Queues {@code write}; its future fails at once when the store is closed. */
    <T> CompletableFuture<T> submit(PendingWrite<T> write) {
        synchronized (this) {
            if (!closed) {
                queue.add(write);
                return write.future;
            }
        }
        write.failed(new StoreException("node store " + database + " is closed"));
        return write.future;
    }

    private void run() {
        List<PendingWrite<?>> writes = new ArrayList<>();
        while (true) {
            try {
                writes.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // only close() stops us, and it waits for us
            }
            queue.drainTo(writes, MAX_BATCH - 1);
            boolean last = writes.remove(Stop.INSTANCE);
            if (!writes.isEmpty()) {
                commit(List.copyOf(writes));
            }
            writes.clear();
            if (last) {
                Sql.closeQuietly(batch);
                return;
            }
        }
    }

    private void commit(List<PendingWrite<?>> writes) {
        List<Envelope> appended;
        try {
            if (batch == null) {
                batch = batches.prepare();
            }
            batch.begin();
            for (PendingWrite<?> write : writes) {
                write.applyIn(batch);
            }
            appended = batch.commit();
        } catch (SQLException | RuntimeException e) {
            failed(writes, e);
            return;
        }
        if (!appended.isEmpty()) {
            try {
                onCommitted.accept(appended);
            } catch (RuntimeException e) {
                log.warn("node store {}: the listener of new entries failed", database, e);
            }
        }
        for (int from = 0; from < writes.size(); from += COMPLETION_CHUNK) {
            List<PendingWrite<?>> chunk = writes.subList(from, Math.min(writes.size(), from + COMPLETION_CHUNK));
            completions.execute(() -> chunk.forEach(PendingWrite::committed));
        }
    }

    /** Rolls the batch back, prepares a new one next time, and fails its writes. */
    private void failed(List<PendingWrite<?>> writes, Exception e) {
        if (batch != null) {
            batch.rollback();
            batch.close();
            batch = null;
        }
        StoreException failure = e instanceof SQLException sql
                ? SqliteErrors.of("store " + writes.size() + " writes", database, sql)
                : new StoreException("cannot store " + writes.size() + " writes in " + database + ": " + e, e);
        log.warn("{}", failure.getMessage());
        log.debug("node store write failure", e);
        completions.execute(() -> writes.forEach(w -> w.failed(failure)));
    }

    /** Stops taking writes, commits what was queued, and stops the threads (waits at most 30 s). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(Stop.INSTANCE);
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            completions.shutdown(); // lets queued completions run, then ends the pool's threads
        }
        try {
            if (!completions.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("node store {}: completions still running after {} s", database, CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("node store {}: writer thread still running after {} s", database, CLOSE_TIMEOUT_SECONDS);
        }
    }

    /** Queued by close(): everything before it is written, then the writer stops. */
    private static final class Stop extends PendingWrite<Void> {
        static final Stop INSTANCE = new Stop();

        @Override
        Void apply(WriteBatch batch) {
            return null;
        }
    }
}
