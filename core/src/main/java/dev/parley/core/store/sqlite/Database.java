package dev.parley.core.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/** The one connection to a client's file: reads, and transactions that each commit once. Thread-safe. */
final class Database implements AutoCloseable {
    /** Work on the connection. */
    interface Work<T> {
        T run(Statements sql) throws SQLException;
    }

    private final DatabaseFile file;
    private final Statements sql;
    private final AtomicLong commits = new AtomicLong();

    Database(DatabaseFile file) {
        this.file = file;
        this.sql = new Statements(file.connection());
    }

    synchronized <T> T read(String doing, Work<T> work) {
        try {
            return work.run(sql);
        } catch (SQLException e) {
            throw file.failure(doing, e);
        }
    }

    /** Runs {@code work} in one transaction: all of it commits, or none. */
    synchronized <T> T transaction(String doing, Work<T> work) {
        Connection connection = file.connection();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(sql);
                connection.commit();
                commits.incrementAndGet();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw file.failure(doing, e);
        }
    }

    /** Transactions committed since open. */
    long commits() {
        return commits.get();
    }

    @Override
    public synchronized void close() {
        sql.close();
        file.close();
    }
}
