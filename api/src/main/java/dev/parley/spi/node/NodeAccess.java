package dev.parley.spi.node;

import java.util.Optional;

/**
 * What an endpoint needs from a node: its name, its epoch, its TLS material and a session per
 * accepted connection.
 */
public interface NodeAccess {
    String name();

    /**
     * The id of the history this node serves (its store's epoch). It changes only when the store is
     * replaced by an empty one; clients holding cursors of another epoch must drop them.
     */
    String epoch();

    /**
     * A new unauthenticated session of a connection; {@code remoteAddress} is for logs. The client
     * must sign the node's challenge for this {@code channelBinding}: RFC 5929
     * {@code tls-server-end-point} of the certificate the node presented on this connection (the
     * hash of its DER encoding, SHA-256 unless the certificate's signature uses a stronger hash),
     * empty without TLS.
     */
    NodeSession openSession(String remoteAddress, byte[] channelBinding);

    /** A new unauthenticated session of a connection without TLS (plaintext, in-process). */
    default NodeSession openSession(String remoteAddress) {
        return openSession(remoteAddress, new byte[0]);
    }

    /**
     * The certificate and key TLS endpoints ({@code grpcs}, {@code wss}) serve; empty when the node
     * was given none, and then such an endpoint refuses to start.
     */
    default Optional<NodeTls> tls() {
        return Optional.empty();
    }

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

    /**
     * Whether this node serves now (started, not closing, its store answering), for the health checks
     * endpoints answer; never blocks (the node probes its store on its own), so an I/O thread may ask.
     */
    default NodeHealth health() {
        return NodeHealth.SERVING;
    }
}
