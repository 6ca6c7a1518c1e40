package dev.parley.node.store;

import dev.parley.ParleyException;

/**
 * A node store could not do what was asked: open a corrupt, foreign or unwritable database, or
 * make an entry durable (disk full, I/O error). Nothing half-written is ever read back.
 */
public class StoreException extends ParleyException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
