package dev.parley.transport;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;

/** One physical, duplex connection from a client to a node that carries frames (a gRPC call, a WebSocket). */
public interface FrameLink {
    /** Queues a frame; never blocks. Fails with a retryable {@link dev.parley.TransportException} once closed. */
    void send(ClientFrame frame);

    /**
     * RFC 5929 {@code tls-server-end-point} of the certificate the node presented on this link
     * ({@code ChannelBindings.ofClient}); empty without TLS. Read once the node has answered.
     */
    default byte[] channelBinding() {
        return ChannelBindings.NONE;
    }

    /** Closes the connection; the handler then gets {@link Handler#onClosed} (if it has not already). */
    void close();

    /**
     * Closes a link that went silent (no frame within the heartbeat bound, no answer to the
     * handshake): the connection under it may be dead without a FIN or a RST, so nothing is waited
     * for (no closing handshake), and the factory MUST open the next link on a new connection, not
     * on one it shares with this link (a gRPC channel's HTTP/2 connection). By default {@link #close()},
     * for links that own their connection and close it at once.
     */
    default void abandon() {
        close();
    }

    /** Receives what arrives on a link, on one thread at a time. */
    interface Handler {
        void onFrame(NodeFrame frame);

        /** The link is gone; called exactly once, last. */
        void onClosed(Throwable cause);
    }

    /** Opens links to one node. */
    interface Factory extends AutoCloseable {
        /** Starts connecting; failures to connect arrive as {@link Handler#onClosed}. */
        FrameLink open(Handler handler);

        /** Releases what the factory holds (channels, event loops). */
        @Override
        void close();
    }
}
