package dev.parley.transport.grpc;

import dev.parley.internal.util.NamedThreads;
import dev.parley.node.Node;
import dev.parley.spi.node.NodeLimits;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An HTTP/2 connection that never opens a {@code Connect} call is closed when the node's
 * pre-authentication time is over (the TCK's rules 3.10 and 3.11 cover a silent socket and a session
 * that does not authenticate).
 */
@Timeout(30)
class PreAuthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private Node node;
    private EventLoopGroup eventLoop;

    @BeforeEach
    void start() {
        node = Node.builder().name("grpc-pre-authentication").listen("grpc://127.0.0.1:0")
                .limits(NodeLimits.builder().preAuthenticationTimeout(Duration.ofSeconds(1)).build()).build().start();
        eventLoop = new MultiThreadIoEventLoopGroup(1, NamedThreads.daemon("test-grpc-client"), NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        node.close();
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionThatOpensNoCallIsClosed() throws InterruptedException {
        URI grpc = node.endpoint("grpc");
        ManagedChannel channel = NettyChannelBuilder.forAddress(grpc.getHost(), grpc.getPort()).usePlaintext()
                .eventLoopGroup(eventLoop).channelType(NioSocketChannel.class).build();
        try {
            await().atMost(WAIT).until(() -> channel.getState(true) == ConnectivityState.READY); // HTTP/2 is up
            // no call: the node sends GOAWAY and closes, and the channel leaves READY on its own
            await().atMost(WAIT).until(() -> channel.getState(false) != ConnectivityState.READY);
            assertThat(node.connectionCount()).isZero();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
