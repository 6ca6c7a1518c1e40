package dev.parley.spi.node;

/** What an endpoint needs from a node: its name, its epoch and a session per accepted connection. */
public interface NodeAccess {
    String name();

    /**
     * The id of the history this node serves (its store's epoch). It changes only when the store is
     * replaced by an empty one; clients holding cursors of another epoch must drop them.
     */
    String epoch();

    /** A new unauthenticated session; {@code remoteAddress} is for logs. */
    NodeSession openSession(String remoteAddress);

    /** What this node lets one client make it hold or do; endpoints enforce the connection limits. */
    default NodeLimits limits() {
        return NodeLimits.DEFAULTS;
    }

    /**
     * An endpoint tells the node each new high of the bytes it holds queued for one connection (at
     * most {@link NodeLimits#maxOutboundBytesPerConnection()}), for the node's figures. Never blocks.
     */
    default void outboundQueued(long bytes) {
    }
}
