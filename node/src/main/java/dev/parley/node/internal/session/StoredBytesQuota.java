package dev.parley.node.internal.session;

import dev.parley.LimitExceededException;
import dev.parley.node.store.NodeStore;

import java.util.function.ToLongFunction;

/**
 * Payload bytes each inbox may have stored on the node ({@code maxStoredBytesPerInbox}): what the
 * store keeps of its entries ({@link NodeStore#storedBytes}, lowered by retention) plus its publishes
 * still in flight. A publish that would go beyond is refused before it is stored.
 */
final class StoredBytesQuota {
    private final NodeStore store;
    private final ToLongFunction<String> stored;
    private final long max;

    StoredBytesQuota(NodeStore store, long max) {
        this.store = store;
        this.stored = store::storedBytes;
        this.max = max;
    }

    /**
     * Holds {@code bytes} of the inbox's quota until {@link #release} (by then the store counts them if
     * it kept them).
     *
     * @throws LimitExceededException the inbox would have more than the maximum stored (not retryable:
     *                                publishing works again once retention frees bytes)
     */
    void take(InboxAccounts.Account inbox, int bytes) {
        if (!inbox.tryTakeBytes(bytes, max, stored)) {
            throw new LimitExceededException(LimitExceededException.STORED_BYTES_PER_INBOX, "inbox " + inbox.inboxId()
                    + " has " + (store.storedBytes(inbox.inboxId()) + inbox.bytesInFlight()) + " bytes stored on this"
                    + " node; another " + bytes + " would exceed its limit of " + max
                    + " (maxStoredBytesPerInbox); publishing works again once retention frees some", false);
        }
    }

    /** Gives back what {@link #take} held, once the append completed (the store counts what it kept). */
    void release(InboxAccounts.Account inbox, int bytes) {
        inbox.giveBackBytes(bytes);
    }
}
