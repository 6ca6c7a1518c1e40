package dev.parley.core.store.sqlite;

import dev.parley.LocalStoreException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One client's SQLite file, opened for it alone: an exclusive lock on {@code <file>.lock} (held
 * until close, so a second client in any process is refused), WAL in SQLite's exclusive locking mode
 * (no other connection reads the file while it is open), the schema migrated forward.
 */
final class DatabaseFile implements AutoCloseable {
    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection connection;

    private DatabaseFile(Path path, FileChannel lockChannel, FileLock lock, Connection connection) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.connection = connection;
    }

    /** Opens (creating if missing) and migrates {@code path} to {@code schemaVersion}. */
    static DatabaseFile open(Path path, int schemaVersion) {
        Path absolute = path.toAbsolutePath();
        FileChannel channel = lockChannel(absolute);
        try {
            FileLock lock = lock(channel, absolute);
            Connection connection = connect(absolute, schemaVersion);
            return new DatabaseFile(absolute, channel, lock, connection);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    Connection connection() {
        return connection;
    }

    Path path() {
        return path;
    }

    /** A failure of this file as the typed error users see. */
    LocalStoreException failure(String doing, SQLException e) {
        return failure(path, doing, e);
    }

    private static LocalStoreException failure(Path path, String doing, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        if (code == SQLiteErrorCode.SQLITE_NOTADB) {
            return new LocalStoreException(LocalStoreException.Reason.FOREIGN,
                    path + " is not a Parley client database (not an SQLite file)", e);
        }
        if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
            return new LocalStoreException(LocalStoreException.Reason.LOCKED,
                    path + " is in use by another program: " + e.getMessage(), e);
        }
        return new LocalStoreException(LocalStoreException.Reason.CORRUPT,
                "cannot " + doing + " " + path + ": " + e.getMessage(), e);
    }

    private static FileChannel lockChannel(Path path) {
        try {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return FileChannel.open(Path.of(path + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LocalStoreException(LocalStoreException.Reason.CORRUPT,
                    "cannot create the lock file of " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileLock lock(FileChannel channel, Path path) {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            throw new LocalStoreException(LocalStoreException.Reason.CORRUPT,
                    "cannot lock " + path + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new LocalStoreException(LocalStoreException.Reason.LOCKED,
                    path + " is open in another client (this or another process); one client per database file");
        }
        return lock;
    }

    private static Connection connect(Path path, int schemaVersion) {
        Connection connection = null;
        try {
            SQLiteConfig config = new SQLiteConfig();
            // no "SELECT last_insert_rowid()" prepared, run and finalized after every INSERT or UPDATE:
            // the store never asks for generated keys
            config.setGetGeneratedKeys(false);
            connection = config.createConnection("jdbc:sqlite:" + path);
            try (Statement statement = connection.createStatement()) {
                // one connection per file (the lock file above): SQLite's own locks are taken once and held
                // until close, and (set before WAL is first used) the WAL index lives in this process's memory,
                // not in a shared "-shm" file: no lock calls per transaction; the same durability
                statement.execute("PRAGMA locking_mode = EXCLUSIVE");
                statement.execute("PRAGMA journal_mode = WAL");
                // a process crash loses nothing committed; a power cut may lose the last commits
                statement.execute("PRAGMA synchronous = NORMAL");
                statement.execute("PRAGMA foreign_keys = ON");
            }
            Schema.migrate(connection, path.toString(), schemaVersion);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(path, "open", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
