package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.StoreException;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few read-only connections, opened when first needed. Readers never wait for the writer (WAL);
 * a reader waits for a free connection at most {@value #WAIT_SECONDS} s.
 */
final class ReadPool implements AutoCloseable {
    private static final long WAIT_SECONDS = 10;

    private final Path database;
    private final int size;
    private final BlockingQueue<ReadConnection> idle;
    private final List<ReadConnection> all = new ArrayList<>();
    private boolean closed;

    ReadPool(Path database, int size) {
        this.database = database;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** A query on a pooled connection. */
    interface Query<T> {
        T run(ReadConnection c) throws SQLException;
    }

    /** Runs {@code query}; {@code what} names it in the {@link StoreException} when it fails. */
    <T> T read(String what, Query<T> query) {
        ReadConnection c = borrow();
        try {
            T result = query.run(c);
            idle.add(c);
            return result;
        } catch (SQLException | RuntimeException e) {
            discard(c); // the driver may have finalized a statement that failed
            throw e instanceof SQLException sql ? SqliteErrors.of(what, database, sql) : (RuntimeException) e;
        }
    }

    private ReadConnection borrow() {
        ReadConnection c = idle.poll();
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new StoreException("node store " + database + " is closed");
            }
            if (all.size() < size) {
                try {
                    ReadConnection opened = new ReadConnection(database);
                    all.add(opened);
                    return opened;
                } catch (SQLException e) {
                    throw SqliteErrors.of("open a read connection", database, e);
                }
            }
        }
        try {
            c = idle.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection to " + database, e);
        }
        if (c == null) {
            throw new StoreException("no read connection to " + database + " free within " + WAIT_SECONDS + " s");
        }
        return c;
    }

    private synchronized void discard(ReadConnection c) {
        all.remove(c);
        Sql.closeQuietly(c);
    }

    @Override
    public synchronized void close() {
        closed = true;
        all.forEach(Sql::closeQuietly);
        all.clear();
    }
}
