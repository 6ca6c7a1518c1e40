package dev.parley.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bare WebSocket: two bare clients ({@link BareWebSocket}: Java-WebSocket or Netty, TCP_NODELAY on),
 * a Netty server that forwards every binary frame from the publisher's socket ({@code /pub}) to the
 * subscriber's ({@code /sub}).
 */
final class WebSocketRelay implements BareRelayBenchmark.Relay {
    private final RelayServer server;
    private final BareWebSocket subscriber;
    private final BareWebSocket publisher;

    WebSocketRelay(Runnable onReceive, BareWebSocket.Kind clients) throws Exception {
        server = new RelayServer();
        subscriber = BareWebSocket.open(clients, server.uri("/sub"), frame -> onReceive.run(), () -> { });
        if (!server.subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bare WebSocket subscriber did not connect");
        }
        publisher = BareWebSocket.open(clients, server.uri("/pub"), frame -> { }, () -> { });
    }

    /**
     * The bare Netty WebSocket server: every binary frame goes to the latest socket opened on
     * {@code /sub}, so a frame that a fresh subscriber sends comes straight back to it.
     */
    static final class RelayServer implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        private final Channel server;
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private volatile Channel subscriberChannel;

        RelayServer() throws InterruptedException {
            server = bind(group, () -> new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete hs
                            && hs.requestUri().startsWith("/sub")) {
                        subscriberChannel = ctx.channel();
                        subscribed.countDown();
                    }
                }

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
                    subscriberChannel.writeAndFlush(frame.retainedDuplicate());
                }
            });
        }

        /**
         * A bare Netty WebSocket server on a free loopback port ({@code TCP_NODELAY}, any path) whose
         * connections end in a new {@code handler} each.
         */
        static Channel bind(EventLoopGroup group, Supplier<ChannelHandler> handler) throws InterruptedException {
            return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                            .websocketPath("/").checkStartsWith(true).build()),
                                    handler.get());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        URI uri(String path) {
            return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + path);
        }

        /** Closes the latest subscriber's socket from the server side (close frame, then FIN), as a node does. */
        void dropSubscriber() {
            subscriberChannel.writeAndFlush(new CloseWebSocketFrame(1001, "dropped"))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void close() throws InterruptedException {
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Override
    public void send(byte[] message) {
        publisher.send(message);
    }

    @Override
    public void close() throws Exception {
        publisher.closeAndWait();
        subscriber.closeAndWait();
        server.close();
    }
}
