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
 * Group commit: every write goes to one queue, drained by one writer thread, and applied in the
 * order it was submitted in the writer's open transaction. The writer connection commits without
 * waiting for the disk ({@code synchronous=NORMAL}); a second thread, the syncer, then makes the
 * write-ahead log durable ({@link WalSync}: one fsync for every commit made since the last one).
 * The writer commits when the syncer is free (at once when nothing is being synced); while the
 * syncer is busy it goes on applying what comes in the same transaction (until it holds
 * {@value #MAX_BATCH} writes), so a commit holds everything the next fsync can cover. Only after
 * that fsync are new entries reported (on the syncer thread; the listener only hands work on) and
 * futures completed, in chunks on a small pool, so the callers' continuations (network sends) run
 * in parallel: a write is acknowledged only once it is on disk. A failed transaction (or fsync)
 * fails its writes with a {@link StoreException}; the writer goes on with the next one.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 2048;
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    private static final int COMPLETION_CHUNK = 32;
    private static final int COMPLETION_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final BatchFactory batches;
    private WriteBatch batch; // writer thread only; null after a failure until a new one is prepared
    /** The writes applied in the open transaction, not yet committed (writer thread only). */
    private final List<PendingWrite<?>> open = new ArrayList<>();
    /** Whether the syncer has a commit to fsync; the writer then keeps gathering (writer thread only). */
    private boolean syncing;
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
        List<PendingWrite<?>> drained = new ArrayList<>();
        while (true) {
            try {
                drained.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // only close() stops us, and it waits for us
            }
            queue.drainTo(drained, MAX_BATCH - 1);
            boolean last = drained.remove(Stop.INSTANCE);
            if (drained.removeIf(write -> write == SyncerIdle.INSTANCE)) {
                syncing = false;
            }
            apply(drained);
            drained.clear();
            if (last || !syncing || open.size() >= MAX_BATCH) {
                commit();
            }
            if (last) {
                Sql.closeQuietly(batch);
                unsynced.add(Committed.END);
                return;
            }
        }
    }

    /** Applies {@code writes} in the open transaction (beginning one if none is); on a failure, fails it all. */
    private void apply(List<PendingWrite<?>> writes) {
        if (writes.isEmpty()) {
            return;
        }
        boolean begin = open.isEmpty();
        open.addAll(writes); // a failure fails them all, applied or not
        try {
            if (batch == null) {
                batch = batches.prepare();
            }
            if (begin) {
                batch.begin();
            }
            for (PendingWrite<?> write : writes) {
                write.applyIn(batch);
            }
        } catch (SQLException | RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Commits the open transaction and hands it to the syncer. While the syncer is busy with an fsync, the
     * writer keeps the transaction open and applies what comes meanwhile (up to {@value #MAX_BATCH} writes):
     * those could not be acknowledged before the next fsync anyway, and one commit of them all writes each
     * page they touch (a topic's last leaf, its index leaf) to the log once instead of once per commit.
     */
    private void commit() {
        if (open.isEmpty()) {
            return;
        }
        List<PendingWrite<?>> writes = List.copyOf(open);
        open.clear();
        List<Envelope> appended;
        try {
            appended = batch.commit();
        } catch (SQLException | RuntimeException e) {
            open.addAll(writes);
            failed(e);
            return;
        }
        syncing = true;
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
            if (unsynced.isEmpty()) {
                queue.add(SyncerIdle.INSTANCE);
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

    /** Rolls the open transaction back, prepares a new batch next time, and fails the transaction's writes. */
    private void failed(Exception e) {
        List<PendingWrite<?>> writes = List.copyOf(open);
        open.clear();
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

    /** Queued by the syncer when it has made everything handed to it durable: the writer may commit again. */
    private static final class SyncerIdle extends PendingWrite<Void> {
        static final SyncerIdle INSTANCE = new SyncerIdle();

        @Override
        Void apply(WriteBatch batch) {
            return null;
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
