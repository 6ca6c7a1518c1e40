package dev.parley.node.internal.session;

import dev.parley.internal.util.WireLimits;

/**
 * Fixed bounds on single requests; requests beyond these fail with a {@link dev.parley.ProtocolException}.
 * The configurable limits are {@link dev.parley.spi.node.NodeLimits}.
 */
final class RequestLimits {
    static final int MAX_PAYLOAD_BYTES = WireLimits.MAX_PAYLOAD_BYTES;
    static final int MAX_QUERY_LIMIT = 1000;
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    /** Characters of a conversation's name, at creation and when a group is renamed. */
    static final int MAX_CONVERSATION_NAME_LENGTH = 256;
    // heartbeat intervals a client may ask for: WireLimits.MIN_HEARTBEAT..MAX_HEARTBEAT (dev.parley.internal.Heartbeats)

    private RequestLimits() {
    }
}
