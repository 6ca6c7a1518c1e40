package dev.parley.node.internal.session;

import dev.parley.internal.util.WireLimits;

/** What the node accepts from one client; requests beyond these fail with a {@link dev.parley.ProtocolException}. */
public final class NodeLimits {
    public static final int MAX_PAYLOAD_BYTES = WireLimits.MAX_PAYLOAD_BYTES;
    public static final int MAX_QUERY_LIMIT = 1000;
    public static final int MAX_TOPICS_PER_SUBSCRIPTION = 20_000;
    public static final int MAX_MEMBERS = 1000;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    // heartbeat intervals a client may ask for: WireLimits.MIN_HEARTBEAT..MAX_HEARTBEAT (dev.parley.internal.Heartbeats)

    private NodeLimits() {
    }
}
