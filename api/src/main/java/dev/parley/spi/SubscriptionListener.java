package dev.parley.spi;

import java.util.List;

/**
 * Receives what a live subscription delivers. Calls for one subscription never overlap.
 * After {@link #onError} or {@link #onClosed} nothing more arrives.
 */
public interface SubscriptionListener {
    /** The next envelope: replay after the cursor first, then live; in sequence order per topic. */
    void onEnvelope(Envelope envelope);

    /**
     * Several envelopes delivered together, in order; the same as {@link #onEnvelope} for each.
     * Override to handle a run of envelopes at once (one frame, one hand-off).
     */
    default void onEnvelopes(List<Envelope> envelopes) {
        envelopes.forEach(this::onEnvelope);
    }

    /** The node is alive; sent at the heartbeat interval whatever the demand. */
    default void onHeartbeat() {
    }

    /** The subscription broke (connection lost, permission revoked); terminal. */
    void onError(Throwable error);

    /** The subscription ended without error (cancelled); terminal. */
    default void onClosed() {
    }
}
