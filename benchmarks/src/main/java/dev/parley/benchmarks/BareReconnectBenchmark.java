package dev.parley.benchmarks;

import io.grpc.ManagedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Baselines for {@link ReconnectLatencyBenchmark}: the bare relay servers of {@link BareRelayBenchmark}
 * drop the subscriber (gRPC: the server ends its call with UNAVAILABLE; WebSocket: close frame,
 * then FIN), the client sees it, connects again and does one message round trip. No SDK, no node,
 * no authentication, no sync.
 * <ul>
 *   <li>{@code grpc-call}: a new call on the channel that stays up, which is what the SDK's gRPC
 *       transport does after a drop (the node ends the call, not the TCP connection);</li>
 *   <li>{@code grpc-channel}: a new channel (TCP connect, HTTP/2 preface and settings) and a call;</li>
 *   <li>{@code ws}: a new Java-WebSocket client (TCP connect, HTTP upgrade, a read and a write
 *       thread);</li>
 *   <li>{@code ws-netty}: a new Netty WebSocket client (TCP connect, HTTP upgrade) on event loops
 *       that stay up, as the SDK's WebSocket transport does.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class BareReconnectBenchmark {
    private static final long WAIT_SECONDS = 10;
    private static final byte[] PING = Bench.textPayload(64);

    @Param({"grpc-call", "grpc-channel", "ws", "ws-netty"})
    public String transport;

    private Subscriber subscriber;

    @Setup(Level.Trial)
    public void start() throws Exception {
        subscriber = switch (transport) {
            case "grpc-call" -> new GrpcSubscriber(false);
            case "grpc-channel" -> new GrpcSubscriber(true);
            case "ws" -> new WebSocketSubscriber(BareWebSocket.Kind.JAVA_WEBSOCKET);
            case "ws-netty" -> new WebSocketSubscriber(BareWebSocket.Kind.NETTY);
            default -> throw new IllegalArgumentException("unknown baseline " + transport);
        };
        subscriber.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Benchmark
    public void reconnect() throws Exception {
        subscriber.drop().get(WAIT_SECONDS, TimeUnit.SECONDS);
        subscriber.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        subscriber.close();
    }

    /** A subscriber of a bare relay that the server can drop. */
    private interface Subscriber extends AutoCloseable {
        /** Connects and sends one message; completes when it came back. */
        CompletableFuture<Void> connect() throws Exception;

        /** Has the server drop the connection; completes when the client has seen it. */
        CompletableFuture<Void> drop();
    }

    private static final class GrpcSubscriber implements Subscriber {
        private final GrpcRelay.RelayServer server = new GrpcRelay.RelayServer();
        private final boolean newChannel;
        private ManagedChannel channel;
        private CompletableFuture<Void> closed;

        GrpcSubscriber(boolean newChannel) throws Exception {
            this.newChannel = newChannel;
        }

        @Override
        public CompletableFuture<Void> connect() {
            if (channel == null || newChannel) {
                if (channel != null) {
                    channel.shutdownNow();
                }
                channel = server.newChannel();
            }
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            closed = ended;
            GrpcRelay.subscribe(channel, PING, new GrpcRelay.Ignoring() {
                @Override
                public void onNext(byte[] value) {
                    echoed.complete(null);
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(null);
                }
            });
            return echoed;
        }

        @Override
        public CompletableFuture<Void> drop() {
            server.dropSubscriber();
            return closed;
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
        }
    }

    private static final class WebSocketSubscriber implements Subscriber {
        private final WebSocketRelay.RelayServer server = new WebSocketRelay.RelayServer();
        private final BareWebSocket.Kind kind;
        private BareWebSocket client;
        private CompletableFuture<Void> closed;

        WebSocketSubscriber(BareWebSocket.Kind kind) throws Exception {
            this.kind = kind;
        }

        @Override
        public CompletableFuture<Void> connect() throws Exception {
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            closed = ended;
            client = BareWebSocket.open(kind, server.uri("/sub"), frame -> echoed.complete(null),
                    () -> ended.complete(null));
            client.send(PING);
            return echoed;
        }

        @Override
        public CompletableFuture<Void> drop() {
            server.dropSubscriber();
            return closed;
        }

        @Override
        public void close() throws Exception {
            client.closeAndWait();
            server.close();
        }
    }
}
