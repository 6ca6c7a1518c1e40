package dev.parley.transport.websocket;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.ChannelBindings;
import dev.parley.transport.FrameLink;
import dev.parley.transport.TlsFailures;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client WebSocket on Netty: binary frames carrying the protobuf frames. Everything the socket
 * reports runs on its event loop, so the state below is the event loop's; {@link #send} may come
 * from any thread. The handler learns why the link ended from the first cause known: a refused TLS
 * certificate, a typed failure the link saw (a malformed frame), the close code (the node's or the
 * client's), or the failure to connect.
 */
final class WebSocketLink extends ChannelInboundHandlerAdapter implements FrameLink {
    private final URI uri;
    private final FrameLink.Handler handler;
    private final Channel channel;
    private final ClientWrites writes;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closing;
    // the event loop's, from here on
    private Throwable notConnected;
    private Throwable failure; // a typed failure seen on the link, told at once
    private Throwable tlsFailure;
    private Close close;       // the first close frame, sent or received
    private boolean closeSent;

    /** Why the WebSocket closed: its close code and reason, and whether the node closed it. */
    private record Close(int code, String reason, boolean byNode) {
    }

    /** A link on {@code channel} (not yet registered); it ends once the channel closes. */
    WebSocketLink(URI uri, FrameLink.Handler handler, Channel channel) {
        this.uri = uri;
        this.handler = handler;
        this.channel = channel;
        this.writes = new ClientWrites(channel);
        channel.closeFuture().addListener(closed -> {
            writes.discard();
            endLater();
        });
    }

    /** Registering or connecting the channel failed: why, for the handler (the channel closes next). */
    void connectFailed(Throwable cause) {
        notConnected = cause;
    }

    @Override
    public void send(ClientFrame frame) {
        if (closing || !writes.send(BinaryFrames.of(frame, channel.alloc()))) {
            throw new TransportException("connection closed", true);
        }
    }

    @Override
    public byte[] channelBinding() {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        return tls == null ? ChannelBindings.NONE : ChannelBindings.ofClient(tls.engine().getSession());
    }

    /** Sends a close frame after what was sent before; a node that never answers it is dropped after the close timeout. */
    @Override
    public void close() {
        closing = true;
        channel.eventLoop().execute(() -> closeWith(CloseCodes.NORMAL, "client closed"));
    }

    /** A silent socket: no closing handshake the node would never answer, the socket closes now. */
    @Override
    public void abandon() {
        closing = true;
        channel.eventLoop().execute(() -> {
            if (close == null) {
                close = new Close(CloseCodes.GOING_AWAY, "node silent", false);
            }
            writes.discard();
            channel.close();
        });
    }

    /** Whether this link's socket is closed. */
    boolean socketClosed() {
        return !channel.isOpen();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            writes.opened();
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && failure == null) {
            failure = new TransportException("the node did not answer the WebSocket upgrade to " + uri + " within "
                    + WebSocketLinks.HANDSHAKE_TIMEOUT, true); // Netty closes the channel
        } else if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            tlsFailure = tls.cause();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (ended.get()) {
                return;
            }
            if (message instanceof BinaryWebSocketFrame binary) {
                onBinary(binary);
            } else if (message instanceof TextWebSocketFrame) {
                fail(new ProtocolException("node sent a text frame; Parley speaks binary frames"),
                        CloseCodes.UNSUPPORTED_DATA, "binary frames only");
            } else if (message instanceof CloseWebSocketFrame frame) {
                onCloseFrame(frame);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onBinary(BinaryWebSocketFrame binary) {
        NodeFrame frame;
        try {
            frame = BinaryFrames.parse(binary.content(), NodeFrame.parser());
        } catch (InvalidProtocolBufferException e) {
            fail(new ProtocolException("node sent a malformed frame", e), CloseCodes.INVALID_PAYLOAD, "malformed frame");
            return;
        }
        handler.onFrame(frame);
    }

    /** The node's close frame: the answer to ours, or its own close, which is echoed. */
    private void onCloseFrame(CloseWebSocketFrame frame) {
        if (closeSent) {
            channel.close();
            return;
        }
        int code = frame.statusCode() < 0 ? 1005 : frame.statusCode(); // 1005: no status code in the frame
        close = new Close(code, frame.reasonText(), true);
        closeSent = true;
        closing = true;
        if (writes.finish(new CloseWebSocketFrame(code, ""))) {
            channel.eventLoop().execute(channel::close); // after the echo's write
        } else {
            channel.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        writes.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // the decoder refused the frame (over the size limit: from its header) and ignores what follows
            closeWith(corrupted.closeStatus().code(), corrupted.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            closeWith(CloseCodes.TOO_BIG, "frame too big");
        } else if (cause instanceof WebSocketClientHandshakeException refused) {
            recordClose(1002, refused.getMessage()); // the node answered the upgrade with something else
            channel.close();
        } else {
            if (tlsFailure == null && TlsFailures.refusal(cause, uri) != null) {
                tlsFailure = cause;
            }
            channel.close(); // a reset, a broken TLS record: the close code says the rest (1006)
        }
    }

    /** Ends the link with {@code cause} now, and closes the WebSocket with {@code code}. */
    private void fail(Throwable cause, int code, String reason) {
        failure = cause;
        end(cause);
        closeWith(code, reason);
    }

    /** Sends a close frame after what waits (once), then closes: when the node answers, or after the close timeout. */
    private void closeWith(int code, String reason) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        closing = true;
        recordClose(code, reason);
        if (writes.finish(CloseCodes.frame(code, reason))) {
            closeLater();
        } else {
            channel.close(); // not open yet: nothing to say goodbye on
        }
    }

    /** A node that never answers the close frame must not hold the socket. */
    private void closeLater() {
        channel.eventLoop().schedule(() -> {
            if (channel.isOpen()) {
                close = new Close(close.code, close.reason + "; the node did not answer", false);
                channel.close();
            }
        }, WebSocketLinks.CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void recordClose(int code, String reason) {
        if (close == null) {
            close = new Close(code, reason, false);
        }
    }

    private Throwable reason() {
        TransportException refused = tlsFailure == null ? null : TlsFailures.refusal(tlsFailure, uri);
        if (refused != null) {
            return refused;
        }
        if (failure != null) {
            return failure;
        }
        if (close != null) {
            return CloseCodes.toException(close.code, close.reason, close.byNode);
        }
        if (notConnected != null) {
            TransportException untrusted = TlsFailures.refusal(notConnected, uri);
            return untrusted != null ? untrusted : new TransportException("cannot connect to " + uri + ": "
                    + notConnected.getMessage(), true, notConnected);
        }
        return CloseCodes.toException(1006, "connection lost", true); // no close frame: abnormal closure
    }

    /**
     * Ends the link once the event that closed the channel is handled: a decoder that refused a frame
     * closes the channel before it reports why, and the why is what the handler gets.
     */
    private void endLater() {
        try {
            channel.eventLoop().execute(() -> end(reason()));
        } catch (RejectedExecutionException e) {
            end(reason());
        }
    }

    private void end(Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            handler.onClosed(cause);
        }
    }
}
