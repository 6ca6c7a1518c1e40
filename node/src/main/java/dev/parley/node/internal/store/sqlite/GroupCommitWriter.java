package dev.parley.node.internal.store.sqlite;

import dev.parley.internal.util.NamedThreads;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
 * when the thread comes round is one transaction (at most {@value #MAX_BATCH} writes). Writes are
 * applied in the order they were submitted. The writer connection commits without waiting for the
 * disk ({@code synchronous=NORMAL}); a second thread, the syncer, then makes the write-ahead log
 * durable ({@link WalSync}: one fsync for every commit made since the last one) while the writer
 * already builds the next batch. Only after that fsync are new entries reported (on the syncer
 * thread; the listener only hands work on) and futures completed, in chunks on a small pool, so the
 * callers' continuations (network sends) run in parallel: a write is acknowledged only once it is
 * on disk. A failed batch (or fsync) fails its writes with a {@link StoreException}; the writer
 * goes on with the next one.
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
    private final WalSync wal;
    private final BlockingQueue<Committed> unsynced = new LinkedBlockingQueue<>();
    private final ExecutorService completions;
    private final Thread thread;
    private final Thread syncer;
    private boolean closed;

    /** Prepares the statements of the writer connection (again after a failure: the driver may have finalized them). */
    interface BatchFactory {
        WriteBatch prepare() throws SQLException;
    }

    /** A committed batch waiting for the fsync that makes it durable; {@link #END} stops the syncer. */
    private record Committed(List<PendingWrite<?>> writes, List<Envelope> appended) {
        static final Committed END = new Committed(List.of(), List.of());
    }

    /** {@code onCommitted} gets each batch's new entries once they are durable, on the syncer thread. */
    GroupCommitWriter(BatchFactory batches, Path database, WalSync wal, String name,
                      Consumer<List<Envelope>> onCommitted) throws SQLException {
        this.batches = batches;
        this.batch = batches.prepare();
        this.database = database;
        this.wal = wal;
        this.onCommitted = onCommitted;
        this.completions = Executors.newFixedThreadPool(COMPLETION_THREADS,
                NamedThreads.daemon(name + "-commits"));
        this.syncer = NamedThreads.daemon(name + "-syncer").newThread(this::sync);
        this.thread = NamedThreads.daemon(name + "-writer").newThread(this::run);
        syncer.start();
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
                unsynced.add(Committed.END);
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
        unsynced.add(new Committed(writes, appended));
    }

    /** The syncer: one fsync of the log for all batches committed since the last, then reports and completes them. */
    private void sync() {
        List<Committed> committed = new ArrayList<>();
        while (true) {
            try {
                committed.add(unsynced.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // only close() stops us, and it waits for us
            }
            unsynced.drainTo(committed);
            boolean last = committed.remove(Committed.END);
            if (!committed.isEmpty()) {
                durable(committed);
            }
            committed.clear();
            if (last) {
                return;
            }
        }
    }

    private void durable(List<Committed> committed) {
        try {
            wal.sync();
        } catch (IOException | RuntimeException e) {
            StoreException failure = new StoreException("cannot make writes durable in " + database + ": " + e, e);
            log.warn("{}", failure.getMessage());
            for (Committed c : committed) {
                completions.execute(() -> c.writes().forEach(w -> w.failed(failure)));
            }
            return;
        }
        for (Committed c : committed) {
            if (!c.appended().isEmpty()) {
                try {
                    onCommitted.accept(c.appended());
                } catch (RuntimeException e) {
                    log.warn("node store {}: the listener of new entries failed", database, e);
                }
            }
            List<PendingWrite<?>> writes = c.writes();
            for (int from = 0; from < writes.size(); from += COMPLETION_CHUNK) {
                List<PendingWrite<?>> chunk = writes.subList(from, Math.min(writes.size(), from + COMPLETION_CHUNK));
                completions.execute(() -> chunk.forEach(PendingWrite::committed));
            }
        }
    }

    /** Rolls the batch back, prepares a new one next time, and fails its writes. */
    private void failed(List<PendingWrite<?>> writes, Exception e) {
        if (batch != null) {
            batch.rollback();
            batch.close();
            batch = null;
        }
        for (PendingWrite<?> write : writes) {
            try {
                write.undone();
            } catch (RuntimeException hook) {
                log.warn("node store {}: a write's rollback hook failed", database, hook);
            }
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
            syncer.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
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
        if (thread.isAlive() || syncer.isAlive()) {
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
