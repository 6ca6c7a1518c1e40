package dev.parley.node.internal.session;

import dev.parley.LimitExceededException;
import dev.parley.node.store.NodeStore;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Payload bytes each inbox may have stored on the node ({@code maxStoredBytesPerInbox}): what the
 * store keeps of its entries ({@link NodeStore#storedBytes}, lowered by retention) plus its publishes
 * still in flight. A publish that would go beyond is refused before it is stored.
 */
final class StoredBytesQuota {
    private final NodeStore store;
    private final long max;
    private final PerInboxCounts inFlight = new PerInboxCounts();

    StoredBytesQuota(NodeStore store, long max) {
        this.store = store;
        this.max = max;
    }

    /**
     * Runs {@code append} with {@code bytes} of {@code inbox}'s quota held until it completes (by then
     * the store counts them if it kept them).
     *
     * @throws LimitExceededException the inbox would have more than the maximum stored (not retryable:
     *                                publishing works again once retention frees bytes)
     */
    <T> CompletableFuture<T> publishing(String inbox, int bytes, Supplier<CompletableFuture<T>> append) {
        if (!inFlight.tryTake(inbox, bytes, max, store::storedBytes)) {
            throw new LimitExceededException(LimitExceededException.STORED_BYTES_PER_INBOX, "inbox " + inbox
                    + " has " + (store.storedBytes(inbox) + inFlight.held(inbox)) + " bytes stored on this node;"
                    + " another " + bytes + " would exceed its limit of " + max
                    + " (maxStoredBytesPerInbox); publishing works again once retention frees some", false);
        }
        CompletableFuture<T> appended;
        try {
            appended = append.get();
        } catch (RuntimeException e) {
            inFlight.giveBack(inbox, bytes);
            throw e;
        }
        return appended.whenComplete((result, error) -> inFlight.giveBack(inbox, bytes));
    }
}
