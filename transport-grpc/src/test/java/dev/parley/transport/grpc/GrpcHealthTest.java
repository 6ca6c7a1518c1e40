package dev.parley.transport.grpc;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.internal.util.NamedThreads;
import dev.parley.node.FaultyStoreProvider;
import dev.parley.node.Node;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code grpc.health.v1} on the node's gRPC port, asked with grpc-java's own health stub. */
@ExtendWith(FaultyStoreProvider.Reset.class)
@Timeout(60)
class GrpcHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final EventLoopGroup eventLoop = new MultiThreadIoEventLoopGroup(1, NamedThreads.daemon("test-grpc-health"),
            NioIoHandler.newFactory());
    private Node node;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private HealthGrpc.HealthBlockingStub start(String store) {
        node = Node.builder().name("grpc-health").store(store).listen("grpc://127.0.0.1:0").build().start();
        URI grpc = node.endpoint("grpc");
        channel = NettyChannelBuilder.forAddress(grpc.getHost(), grpc.getPort()).usePlaintext()
                .eventLoopGroup(eventLoop).channelType(NioSocketChannel.class).build();
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ServingStatus check(HealthGrpc.HealthBlockingStub health, String service) {
        return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void servesTheServerAndParleyAndNotOtherServices() {
        HealthGrpc.HealthBlockingStub health = start("memory:");

        assertThat(check(health, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(check(health, "parley.v1.Parley")).isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> check(health, "no.such.Service")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void notServingWhileTheStoreFailsAndServingAgainOnceItAnswers() {
        HealthGrpc.HealthBlockingStub health = start("faulty:");
        assertThat(check(health, "")).isEqualTo(ServingStatus.SERVING);

        FaultyStoreProvider.FAILING.set(true);
        await().atMost(WAIT).until(() -> check(health, "") == ServingStatus.NOT_SERVING);

        FaultyStoreProvider.FAILING.set(false);
        await().atMost(WAIT).until(() -> check(health, "") == ServingStatus.SERVING);
    }

    @Test
    void aWatchHearsNotServingWhenTheNodeCloses() {
        start("memory:");
        List<ServingStatus> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                seen.add(response.getStatus());
            }

            @Override
            public void onError(Throwable t) {
                ended.countDown();
            }

            @Override
            public void onCompleted() {
                ended.countDown();
            }
        });
        await().atMost(WAIT).until(() -> seen.equals(List.of(ServingStatus.SERVING)));

        node.close();

        await().atMost(WAIT).until(() -> ended.getCount() == 0);
        assertThat(seen).containsExactly(ServingStatus.SERVING, ServingStatus.NOT_SERVING);
    }

    @Test
    void connectionsAreCountedUnderTheGrpcTransport() {
        start("memory:");
        try (Client client = Client.create(ClientOptions.builder().endpoint(node.endpoint("grpc"))
                .identity(Identity.generate()).requestTimeout(WAIT).build())) {
            client.conversations().sync(); // a round trip: the session exists and authenticated
            assertThat(node.meterRegistry().get("parley.node.connections").tags("transport", "grpc").gauge().value())
                    .isEqualTo(1);
            assertThat(node.meterRegistry().get("parley.node.authentications").tags("transport", "grpc").counter()
                    .count()).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> node.meterRegistry().get("parley.node.connections")
                .tags("transport", "grpc").gauge().value() == 0);
    }
}
