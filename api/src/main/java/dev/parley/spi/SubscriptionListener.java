package dev.parley.spi;

/**
 * Receives what a live subscription delivers. Calls for one subscription never overlap.
 * After {@link #onError} or {@link #onClosed} nothing more arrives.
 */
public interface SubscriptionListener {
    /** The next envelope: replay after the cursor first, then live; in sequence order per topic. */
    void onEnvelope(Envelope envelope);

    /** The node is alive; sent at the heartbeat interval whatever the demand. */
    default void onHeartbeat() {
    }

    /** The subscription broke (connection lost, permission revoked); terminal. */
    void onError(Throwable error);

    /** The subscription ended without error (cancelled); terminal. */
    default void onClosed() {
    }
}
