package dev.parley.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Baselines for {@link StreamThroughputBenchmark}, same batch and payloads: a publisher hands the
 * bytes through a bare relay (an in-JVM queue, a bare grpc-java server, a bare Netty WebSocket
 * server with Java-WebSocket clients ({@code ws}) or Netty clients ({@code ws-netty})) to a
 * subscriber. No SDK, no node, no protobuf framing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(StreamThroughputBenchmark.BATCH)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class BareRelayBenchmark {
    @Param({"queue", "grpc", "ws", "ws-netty"})
    public String transport;

    @Param({"64", "1024"})
    public int payloadBytes;

    private Relay relay;
    private byte[] payload;
    private volatile CountDownLatch delivered = new CountDownLatch(0);

    @Setup(Level.Trial)
    public void start() throws Exception {
        Runnable onReceive = () -> delivered.countDown();
        relay = switch (transport) {
            case "queue" -> new QueueRelay(onReceive);
            case "grpc" -> new GrpcRelay(onReceive);
            case "ws" -> new WebSocketRelay(onReceive, BareWebSocket.Kind.JAVA_WEBSOCKET);
            case "ws-netty" -> new WebSocketRelay(onReceive, BareWebSocket.Kind.NETTY);
            default -> throw new IllegalArgumentException("unknown baseline " + transport);
        };
        payload = Bench.textPayload(payloadBytes);
    }

    @Benchmark
    public void deliver() throws Exception {
        CountDownLatch latch = new CountDownLatch(StreamThroughputBenchmark.BATCH);
        delivered = latch;
        for (int i = 0; i < StreamThroughputBenchmark.BATCH; i++) {
            relay.send(payload);
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new TimeoutException(latch.getCount() + " messages not delivered");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        relay.close();
    }

    /** Moves bytes from a publisher to a subscriber that runs {@code onReceive} per message. */
    interface Relay extends AutoCloseable {
        void send(byte[] message) throws Exception;
    }
}
