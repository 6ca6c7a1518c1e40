package dev.parley.benchmarks;

import dev.parley.Client;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.spi.Transport;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Messages one thread sends per second to one group (64 B text by default) through the public API:
 * {@code send} (a blocking round trip each), {@code sendAsync} ({@value Bench#WINDOW} in flight), and
 * two baselines in the same run with the same payload and window: {@code bare}, the transport's own
 * {@code publish} to the node (what the SDK adds is encoding, ids, the local store and futures), and
 * {@code rawAcked}, no Parley code at all: a bare grpc-java bidi call (gRPC) or a bare Netty WebSocket
 * server with a bare Netty WebSocket client (ws) whose server acknowledges every message ({@link AckedPublisher}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(SendBenchmark.BATCH)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class SendBenchmark {
    static final int BATCH = 2_000;

    @Param({"send", "sendAsync", "bare", "rawAcked"})
    public String path;

    @Param({"grpc", "ws"})
    public String transport;

    @Param({"64"})
    public int payloadBytes;

    private Node node;
    private Client client;
    private Group group;
    private Transport bare;
    private AckedPublisher raw;
    private String topic;
    private String text;
    private byte[] payload;
    private long key;

    @Setup(Level.Trial)
    public void start() throws Exception {
        if (path.equals("rawAcked")) {
            raw = AckedPublisher.of(transport);
        }
        node = Bench.node(transport);
        Identity identity = Identity.generate();
        client = Bench.client(node, transport, identity);
        group = client.conversations().newGroup(List.of());
        bare = Bench.transport(node, transport, identity);
        topic = Topics.conversation(group.id());
        text = "x".repeat(payloadBytes);
        payload = Bench.textPayload(payloadBytes);
    }

    @Benchmark
    public void sendFromOneThread() throws Exception {
        if (path.equals("send")) {
            for (int i = 0; i < BATCH; i++) {
                group.send(text);
            }
            return;
        }
        switch (path) {
            case "sendAsync" -> Bench.pipelined(BATCH, Bench.WINDOW, i -> group.sendAsync(text));
            case "bare" -> Bench.pipelined(BATCH, Bench.WINDOW, i -> bare.publish(topic, payload, "k" + key++));
            case "rawAcked" -> Bench.pipelined(BATCH, Bench.WINDOW, i -> raw.publish(payload));
            default -> throw new IllegalArgumentException("unknown path " + path);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (raw != null) {
            raw.close();
        }
        bare.close();
        client.close();
        node.close();
    }
}
