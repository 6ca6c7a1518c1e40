package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.StoreException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite's failures into {@link StoreException}s that say what went wrong in words an operator acts on. */
final class SqliteErrors {
    private SqliteErrors() {
    }

    /** {@code doing} names the operation, e.g. "store 3 entries". */
    static StoreException of(String doing, Path database, SQLException e) {
        return new StoreException("cannot " + doing + " in " + database + ": " + reason(e), e);
    }

    private static String reason(SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        int primary = code == null ? e.getErrorCode() & 0xff : code.code & 0xff;
        return switch (primary) {
            case 26 -> "the file is not a SQLite database (corrupt or something else)"; // SQLITE_NOTADB
            case 11 -> "the database file is corrupt"; // SQLITE_CORRUPT
            case 13 -> "the disk is full (or the database reached its size limit)"; // SQLITE_FULL
            case 8, 3, 23 -> "the database cannot be written (read-only file or directory)"; // READONLY, PERM, AUTH
            case 14 -> "the database file cannot be opened"; // SQLITE_CANTOPEN
            case 10 -> "I/O error"; // SQLITE_IOERR
            case 5, 6 -> "the database is locked by another process"; // BUSY, LOCKED
            default -> "";
        } + " (" + e.getMessage() + ")";
    }
}
