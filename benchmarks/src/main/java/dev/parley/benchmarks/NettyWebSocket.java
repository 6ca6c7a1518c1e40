package dev.parley.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A bare Netty WebSocket client on the event loops all bare Netty clients of the JVM share. */
final class NettyWebSocket implements BareWebSocket {
    private static final EventLoopGroup LOOPS = new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("bare-ws-client", true),
            NioIoHandler.newFactory());

    private final Channel channel;

    private NettyWebSocket(Channel channel) {
        this.channel = channel;
    }

    static NettyWebSocket open(URI uri, Consumer<ByteBuffer> onReceive, Runnable onClosed) throws Exception {
        CompletableFuture<Void> open = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(LOOPS).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(uri).build()),
                                new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                .HANDSHAKE_COMPLETE) {
                                            open.complete(null);
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
                                        onReceive.accept(frame.content().nioBuffer());
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        channel.closeFuture().addListener(closed -> {
            open.completeExceptionally(new IllegalStateException("bare Netty WebSocket to " + uri + " closed"));
            onClosed.run();
        });
        open.get(10, TimeUnit.SECONDS);
        return new NettyWebSocket(channel);
    }

    @Override
    public void send(byte[] message) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
    }

    @Override
    public void closeAndWait() throws InterruptedException {
        channel.writeAndFlush(new CloseWebSocketFrame()); // the protocol handler closes once the server answers
        if (!channel.closeFuture().await(2, TimeUnit.SECONDS)) {
            channel.close().sync();
        }
    }
}
