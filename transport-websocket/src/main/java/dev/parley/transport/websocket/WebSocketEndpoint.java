package dev.parley.transport.websocket;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.TransportException;
import dev.parley.transport.ChannelBindings;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.ClientFrame;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeSession;
import dev.parley.transport.NodeFrameSession;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's WebSocket listener on Netty ({@code ws://host:port/parley}): every WebSocket becomes one
 * node session. Malformed or oversized frames close that socket with a close code and a reason. A
 * socket gets the node's {@link dev.parley.spi.node.NodeLimits#preAuthenticationTimeout()} from its
 * accept to a successful authentication: one still without a WebSocket then is closed here, one
 * whose session has not authenticated by the session's timer.
 * With TLS ({@code wss}) each session checks the client's signature for the certificate this
 * connection presented (channel binding). Plain HTTP {@code GET /health} on the same port answers
 * whether the node serves ({@link HttpHealth}).
 */
final class WebSocketEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
    /** How long a client whose frame was refused may keep its socket before the node closes it. */
    private static final Duration REFUSAL_BACKSTOP = Duration.ofSeconds(5);

    private final NodeAccess node;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService timers;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final URI address;

    /** @param tls the node's TLS ({@code wss}), {@code null} for plaintext */
    WebSocketEndpoint(NodeAccess node, URI bind, SslContext tls) {
        CloseCodes.dialUri(bind);
        this.node = node;
        String prefix = "parley-node-" + node.name() + "-ws";
        this.boss = new MultiThreadIoEventLoopGroup(1, NamedThreads.daemon(prefix + "-accept"), NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NamedThreads.daemon(prefix + "-io"), NioIoHandler.newFactory());
        this.timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon(prefix + "-timer"));
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(CloseCodes.PATH)
                .maxFramePayloadLength(WireLimits.MAX_FRAME_BYTES)
                .handleCloseFrames(true)
                .sendCloseFrame(null) // we send our own close frames, with the code that says why
                .closeOnProtocolViolation(false) // a ViolationGuard refuses the frame without a reset
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        SessionHandler session = new SessionHandler(node.limits().preAuthenticationTimeout());
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(64 * 1024),
                                new WebSocketServerProtocolHandler(config),
                                new PlainHttp(),
                                new WebSocketFrameAggregator(WireLimits.MAX_FRAME_BYTES),
                                session);
                    }
                });
        try {
            this.server = bootstrap.bind(new InetSocketAddress(bind.getHost(), bind.getPort())).sync().channel();
        } catch (Exception e) {
            close();
            throw new TransportException("cannot listen on " + bind + ": " + e.getMessage(), false, e);
        }
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        this.address = URI.create(bind.getScheme() + "://" + bind.getHost() + ":" + port);
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        timers.shutdownNow();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One WebSocket: opens its node session after the handshake, then feeds it frames. */
    private final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final long acceptedAt = System.nanoTime();
        private final Duration preAuthentication;
        private ScheduledFuture<?> upgradeDeadline;
        private NodeFrameSession frames;
        private OrderedWrites writes;

        SessionHandler(Duration preAuthentication) {
            this.preAuthentication = preAuthentication;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            upgradeDeadline = ctx.executor().schedule(() -> {
                if (frames == null) {
                    log.info("client {} did not open a WebSocket within {}; closing its connection",
                            ctx.channel().remoteAddress(), preAuthentication);
                    ctx.channel().close();
                }
            }, preAuthentication.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                Channel channel = ctx.channel();
                writes = new OrderedWrites(channel, node, () -> frames.linkClosed());
                ctx.pipeline().addAfter(ctx.pipeline().context(WebSocketFrameDecoder.class).name(), "parley-violations",
                        new ViolationGuard());
                NodeSession session;
                try {
                    SslHandler tls = ctx.pipeline().get(SslHandler.class);
                    session = node.openSession(String.valueOf(channel.remoteAddress()),
                            tls == null ? ChannelBindings.NONE : ChannelBindings.ofNode(tls.engine().getSession()));
                } catch (RuntimeException e) {
                    close(channel, CloseCodes.TRY_AGAIN_LATER, e.getMessage());
                    return;
                }
                frames = new NodeFrameSession(session,
                        writes::send,
                        () -> writes.writeAndClose(CloseCodes.GOING_AWAY, "connection closed by the node"),
                        timers, String.valueOf(channel.remoteAddress()),
                        preAuthentication.minusNanos(System.nanoTime() - acceptedAt));
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frames == null) {
                return;
            }
            if (!(frame instanceof BinaryWebSocketFrame)) {
                refuse(ctx.channel(), CloseCodes.UNSUPPORTED_DATA, "Parley speaks binary frames only");
                return;
            }
            ClientFrame parsed;
            try {
                parsed = BinaryFrames.parse(frame.content(), ClientFrame.parser());
            } catch (InvalidProtocolBufferException e) {
                refuse(ctx.channel(), CloseCodes.INVALID_PAYLOAD, "malformed frame: " + e.getMessage());
                return;
            }
            frames.onFrame(parsed);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (writes != null) {
                writes.writabilityChanged();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (upgradeDeadline != null) {
                upgradeDeadline.cancel(false);
            }
            if (writes != null) {
                writes.discard();
            }
            if (frames != null) {
                frames.linkClosed();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                refuse(ctx.channel(), CloseCodes.TOO_BIG, "message larger than " + WireLimits.MAX_FRAME_BYTES + " bytes");
                return;
            }
            close(ctx.channel(), CloseCodes.INTERNAL_ERROR, "connection failed");
        }

        /** Closes after every frame written before (once the WebSocket is up, all writes are ordered). */
        private void close(Channel channel, int code, String reason) {
            if (writes == null) {
                closeWith(channel, code, reason);
            } else {
                writes.writeAndClose(code, reason);
            }
        }

        /**
         * A frame the node will not take: the session ends now, and the close frame saying why is
         * sent without dropping what the client may still be sending (closing a socket with unread
         * bytes resets it, and the client would see 1006 instead of the reason).
         */
        private void refuse(Channel channel, int code, String reason) {
            if (frames != null) {
                frames.linkClosed();
            }
            if (writes == null) {
                closeWith(channel, code, reason);
            } else {
                writes.writeThenStopSending(code, reason, REFUSAL_BACKSTOP);
            }
        }

        /**
         * Sits right after Netty's frame decoder: a frame it rejects (too large, malformed framing) is
         * refused with its close code; the decoder then discards the rest of the client's bytes.
         */
        private final class ViolationGuard extends ChannelInboundHandlerAdapter {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (cause instanceof CorruptedWebSocketFrameException corrupted) {
                    refuse(ctx.channel(), corrupted.closeStatus().code(), String.valueOf(corrupted.getMessage()));
                } else {
                    ctx.fireExceptionCaught(cause);
                }
            }
        }
    }

    /**
     * Plain HTTP (another path, no upgrade, or bytes that are not HTTP at all): {@code GET /health} gets
     * the node's health, anything else a pointer to the WebSocket path; then the connection closes.
     */
    private final class PlainHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (request.decoderResult().isSuccess() && HttpHealth.asks(request)) {
                response = HttpHealth.response(node.name(), node.health());
            } else {
                HttpResponseStatus status = request.decoderResult().isFailure() ? HttpResponseStatus.BAD_REQUEST
                        : HttpResponseStatus.NOT_FOUND;
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                        Unpooled.copiedBuffer("Parley speaks WebSocket at " + CloseCodes.PATH + "\n", StandardCharsets.UTF_8));
            }
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void closeWith(Channel channel, int code, String reason) {
        channel.writeAndFlush(CloseCodes.frame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }
}
