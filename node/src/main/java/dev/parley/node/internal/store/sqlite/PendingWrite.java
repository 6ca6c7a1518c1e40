package dev.parley.node.internal.store.sqlite;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * One write waiting for the writer thread. It is applied inside a batch's transaction; its future
 * completes only after that transaction committed and the log was synced (or failed). A {@link RuntimeException} from
 * {@link #apply} refuses this write alone; an {@link SQLException} fails the whole batch.
 */
abstract class PendingWrite<T> {
    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private RuntimeException refused;

    abstract T apply(WriteBatch batch) throws SQLException;

    final void applyIn(WriteBatch batch) throws SQLException {
        try {
            result = apply(batch);
        } catch (RuntimeException e) {
            refused = e;
        }
    }

    /**
     * The batch this write was applied in was rolled back: nothing of it is stored. Called on the
     * writer thread before it applies any later write (its future fails after).
     */
    void undone() {
    }

    final void committed() {
        if (refused != null) {
            future.completeExceptionally(refused);
        } else {
            future.complete(result);
        }
    }

    final void failed(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
