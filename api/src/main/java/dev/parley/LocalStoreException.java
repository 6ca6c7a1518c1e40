package dev.parley;

/** The client's database ({@code ClientOptions.dbPath}) cannot be used; {@link #reason()} says why. */
public class LocalStoreException extends ParleyException {
    /** Why the database was refused. */
    public enum Reason {
        /** Another client (in this or another process) has the file open. */
        LOCKED,
        /** The file belongs to another inbox. */
        OTHER_INBOX,
        /** The file was written by a newer Parley (its schema version is unknown here). */
        NEWER_SCHEMA,
        /** The file is not a Parley database (another application's SQLite file, or not SQLite at all). */
        FOREIGN,
        /** The file is damaged, or reading or writing it failed. */
        CORRUPT
    }

    private final Reason reason;

    public LocalStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public LocalStoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
