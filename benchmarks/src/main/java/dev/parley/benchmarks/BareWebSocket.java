package dev.parley.benchmarks;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A bare WebSocket client of {@link WebSocketRelay.RelayServer}, for the baselines: Java-WebSocket
 * (a read and a write thread per socket) or Netty (one event loop group for all sockets, as the
 * SDK's WebSocket transport). {@code TCP_NODELAY} on in both.
 */
interface BareWebSocket {
    /** Sends {@code message} as one binary frame. */
    void send(byte[] message);

    /** Sends a close frame and waits until the socket closed. */
    void closeAndWait() throws Exception;

    /** Which client library. */
    enum Kind { JAVA_WEBSOCKET, NETTY }

    /**
     * Connects to {@code uri}; returns once the WebSocket is open. {@code onReceive} gets every binary
     * frame, {@code onClosed} once the socket closed.
     */
    static BareWebSocket open(Kind kind, URI uri, Consumer<ByteBuffer> onReceive, Runnable onClosed) throws Exception {
        return kind == Kind.NETTY ? NettyWebSocket.open(uri, onReceive, onClosed)
                : JavaWebSocket.open(uri, onReceive, onClosed);
    }
}
