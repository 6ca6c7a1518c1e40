package dev.parley.transport.websocket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.ChannelBindings;
import dev.parley.transport.FrameLink;
import dev.parley.transport.TlsFailures;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Links over Java-WebSocket: one socket per link, binary frames carrying the protobuf frames,
 * {@code TCP_NODELAY} on. Frames sent before the socket opened wait for it. A node frame larger
 * than {@link WireLimits#MAX_FRAME_BYTES} is refused from its header, before its payload is buffered: the
 * link closes with 1009 and the client sees a retryable {@link TransportException}. Over TLS
 * ({@code wss}) the node's certificate must chain to the trust given and name the endpoint's host;
 * when it does not, the link fails with a non-retryable {@link TransportException} saying why.
 */
final class WebSocketLinks implements FrameLink.Factory {
    /** How long a TLS handshake may take before the link gives up. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    /** How long a closing link waits for the node's answer to its close frame before it drops the socket. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final URI uri;
    private final SSLContext tls;

    /** Plaintext links ({@code ws://}). */
    WebSocketLinks(URI endpoint) {
        this(endpoint, null);
    }

    /** @param tls the client's TLS context ({@code wss://}), {@code null} for plaintext */
    WebSocketLinks(URI endpoint, SSLContext tls) {
        this.uri = CloseCodes.dialUri(endpoint);
        this.tls = tls;
    }

    @Override
    public FrameLink open(FrameLink.Handler handler) {
        Link link = new Link(uri, handler);
        if (tls != null) {
            link.setSocketFactory(tls.getSocketFactory());
        }
        link.setTcpNoDelay(true);
        link.setDaemon(true);
        link.setConnectionLostTimeout(0); // liveness is the frame heartbeat's job, at the configured interval
        link.connect();
        return link;
    }

    @Override
    public void close() {
        // links own their sockets and threads; nothing shared to release
    }

    private static final class Link extends WebSocketClient implements FrameLink {
        private final FrameLink.Handler handler;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Exception tlsFailure;
        private final List<ClientFrame> waiting = new ArrayList<>(); // guarded by this
        private boolean open;                                         // guarded by this
        private boolean closing;                                      // guarded by this

        Link(URI uri, FrameLink.Handler handler) {
            super(uri, new Draft_6455(Collections.emptyList(), WireLimits.MAX_FRAME_BYTES));
            this.handler = handler;
        }

        @Override
        public synchronized void send(ClientFrame frame) {
            if (closing) {
                throw new TransportException("connection closed", true);
            }
            if (!open) {
                waiting.add(frame);
                return;
            }
            try {
                send(frame.toByteArray()); // queues for the socket's write thread; keeps our order
            } catch (RuntimeException e) {
                throw new TransportException("connection closed: " + e.getMessage(), true, e);
            }
        }

        /**
         * Checks that the node's certificate names the host dialled (the library's default, made
         * explicit), and runs the TLS handshake here, on the connecting thread, before the library's
         * reader and writer threads race to it: a refused certificate is then known for certain
         * before the link reports its end.
         */
        @Override
        protected void onSetSSLParameters(SSLParameters parameters) {
            super.onSetSSLParameters(parameters);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            SSLSocket socket = (SSLSocket) getSocket();
            socket.setSSLParameters(parameters);
            try {
                socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis()); // a node that never answers does not hold this thread
                socket.startHandshake();
                socket.setSoTimeout(0);
            } catch (IOException e) {
                tlsFailure = e;
                throw new UncheckedIOException(e); // the library closes the link (onClose)
            }
        }

        @Override
        public byte[] channelBinding() {
            return hasSSLSupport() ? ChannelBindings.ofClient(getSSLSession()) : ChannelBindings.NONE;
        }

        @Override
        public void close() {
            synchronized (this) {
                closing = true;
            }
            super.close(CloseCodes.NORMAL, "client closed");
            // a node that never answers the close frame must not hold the socket and its threads
            CompletableFuture.delayedExecutor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (!isClosed()) {
                    closeConnection(CloseCodes.NORMAL, "client closed; the node did not answer");
                }
            });
        }

        /** A silent socket: no closing handshake the node would never answer, the socket closes now. */
        @Override
        public void abandon() {
            synchronized (this) {
                closing = true;
            }
            closeConnection(CloseCodes.GOING_AWAY, "node silent");
        }

        @Override
        public synchronized void onOpen(ServerHandshake handshake) {
            open = true;
            waiting.forEach(f -> send(f.toByteArray()));
            waiting.clear();
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            NodeFrame frame;
            try {
                frame = NodeFrame.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                end(new ProtocolException("node sent a malformed frame", e));
                super.close(CloseCodes.INVALID_PAYLOAD, "malformed frame");
                return;
            }
            handler.onFrame(frame);
        }

        @Override
        public void onMessage(String message) {
            end(new ProtocolException("node sent a text frame; Parley speaks binary frames"));
            super.close(CloseCodes.UNSUPPORTED_DATA, "binary frames only");
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            synchronized (this) {
                closing = true;
            }
            Exception failure = tlsFailure;
            TransportException refused = failure == null ? null : TlsFailures.refusal(failure, uri);
            end(refused != null ? refused : CloseCodes.toException(code, reason, remote));
        }

        @Override
        public void onError(Exception ex) {
            // onClose follows every error with the close code; a TLS failure says more than that code
            if (ex instanceof SSLException && tlsFailure == null) {
                tlsFailure = ex;
            }
        }

        private void end(Throwable cause) {
            if (ended.compareAndSet(false, true)) {
                handler.onClosed(cause);
            }
        }
    }
}
