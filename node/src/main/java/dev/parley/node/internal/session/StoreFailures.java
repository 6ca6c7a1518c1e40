package dev.parley.node.internal.session;

import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.node.store.StoreException;

import java.util.function.Supplier;

/**
 * How a storage failure reaches a client: a retryable {@link TransportException} (on the wire
 * {@code CODE_UNAVAILABLE}) saying the node could not store or read, never an internal error and
 * never the end of the session. The details (paths, SQLite's reason) stay in the node's log.
 */
final class StoreFailures {
    private StoreFailures() {
    }

    /** {@code failure} as the client should see it; anything but a storage failure is left as it is. */
    static Throwable forClient(Throwable failure) {
        if (Failures.unwrap(failure) instanceof StoreException e) {
            return new TransportException("node storage unavailable, nothing was changed; retry later", true, e);
        }
        return failure;
    }

    /** Runs {@code read}, throwing {@link #forClient} when reading failed. */
    static <T> T reading(Supplier<T> read) {
        try {
            return read.get();
        } catch (StoreException e) {
            throw (TransportException) forClient(e);
        }
    }

    /** Runs {@code check} (an access check, which may read the conversation directory) like {@link #reading}. */
    static void checking(Runnable check) {
        reading(() -> {
            check.run();
            return null;
        });
    }
}
