package dev.parley.node.internal.store.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the node database with the settings durability needs. */
final class SqliteConnections {
    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** The writer's page cache, in KiB (negative {@code cache_size}): a batch's pages stay cached. */
    private static final int WRITER_CACHE_KIB = 16 * 1024;
    /**
     * Pages in the WAL before a commit checkpoints it (SQLite's default is 1000): fewer, bigger
     * checkpoints write each hot page (a topic's last leaf, the index pages) once instead of once per
     * 1000 pages of WAL.
     */
    private static final int WAL_AUTOCHECKPOINT_PAGES = 8192;

    private SqliteConnections() {
    }

    /**
     * The writer: WAL journal, {@code synchronous=NORMAL}: a commit writes the log but does not wait
     * for the disk; {@link WalSync} then fsyncs the log, off the writer thread, before anything
     * committed is acknowledged or shown (together: what {@code FULL} does, so an acknowledged
     * publish survives a power loss). Checkpoints still sync the log before and the database after.
     */
    static Connection writer(Path database) throws SQLException {
        SQLiteConfig config = base();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setCacheSize(-WRITER_CACHE_KIB);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(WAL_AUTOCHECKPOINT_PAGES));
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
        // no "SELECT last_insert_rowid()" after every INSERT: the store never asks for generated keys
        config.setGetGeneratedKeys(false);
        return config;
    }
}
