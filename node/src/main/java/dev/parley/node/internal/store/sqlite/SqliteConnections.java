package dev.parley.node.internal.store.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the node database with the settings durability needs. */
final class SqliteConnections {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private SqliteConnections() {
    }

    /**
     * The writer: WAL journal, {@code synchronous=FULL} (a commit is on disk before it returns, so an
     * acknowledged publish survives a power loss).
     */
    static Connection writer(Path database) throws SQLException {
        SQLiteConfig config = base();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        return config.createConnection("jdbc:sqlite:" + database);
    }

    /** A reader: sees the last commit and never blocks the writer (WAL). */
    static Connection reader(Path database) throws SQLException {
        SQLiteConfig config = base();
        config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + database);
    }

    private static SQLiteConfig base() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return config;
    }
}
