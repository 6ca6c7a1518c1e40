package dev.parley.benchmarks;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Bare WebSocket publish: a bare Netty WebSocket client ({@link BareWebSocket}, {@code TCP_NODELAY}, the library of the SDK's client)
 * sends binary frames; a Netty server answers each with an acknowledgement frame, flushing once per
 * read (as Netty applications do).
 */
final class WebSocketAckedPublisher extends AckedPublisher {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;
    private final BareWebSocket client;

    WebSocketAckedPublisher() throws Exception {
        server = WebSocketRelay.RelayServer.bind(group, Acknowledging::new);
        URI uri = URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/");
        client = BareWebSocket.open(BareWebSocket.Kind.NETTY, uri, this::acknowledged, () -> { });
    }

    /** Answers every binary frame with its acknowledgement, flushed when the read is complete. */
    private static final class Acknowledging extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        private long sequence;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
            ctx.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ackOf(frame.content().nioBuffer(), ++sequence))));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    @Override
    protected void send(byte[] message) {
        client.send(message);
    }

    @Override
    public void close() throws Exception {
        client.closeAndWait();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
