package dev.parley.benchmarks;

import dev.parley.DecodedMessage;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Client delivery throughput with the SQLite store ({@code dbPath}) against the in-memory store, in
 * the same run: messages/s from a pipelining publisher (bare transport) through the node to a push
 * {@code streamAllMessages} consumer whose client stores each message (target: sqlite ≥ 0.7 × memory).
 * With {@code durable=true} the stream also records its handled cursors (sqlite only). With
 * {@code nodeStore=sqlite} the node keeps its log durably too ({@code sqlite:}, group commit), so the row is
 * end to end on durable stores (node and client); default {@code memory}. A new node, client and database
 * files per iteration, as in {@link StreamThroughputBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ClientStoreBenchmark.BATCH)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ClientStoreBenchmark {
    static final int BATCH = 2_000;

    @Param({"inproc", "grpc"})
    public String transport;

    @Param({"memory", "sqlite"})
    public String store;

    @Param({"false"})
    public boolean durable;

    @Param({"64"})
    public int payloadBytes;

    /** The node's log: {@code memory} or {@code sqlite} (in this iteration's directory). */
    @Param({"memory"})
    public String nodeStore;

    private PublisherAndSubscriber set;
    private MessageStream<DecodedMessage> stream;
    private byte[] payload;
    private Path dir;
    private final DeliveryRound round = new DeliveryRound();

    @Setup(Level.Iteration)
    public void start() throws InterruptedException, IOException {
        boolean sqlite = "sqlite".equals(store);
        dir = Files.createTempDirectory("parley-bench");
        String nodeLog = "sqlite".equals(nodeStore) ? "sqlite:" + dir.resolve("node").toAbsolutePath() : "memory:";
        set = new PublisherAndSubscriber(transport, nodeLog, 1,
                options -> sqlite ? options.dbPath(dir.resolve("client.db")) : options);
        payload = Bench.textPayload(payloadBytes);
        StreamOptions.Builder<DecodedMessage> options = StreamOptions.<DecodedMessage>builder()
                .onValue(m -> round.delivered());
        if (durable && sqlite) {
            options.durable("bench");
        }
        stream = set.subscriber.conversations().streamAllMessages(options.build());
    }

    @Benchmark
    public void deliver() throws Exception {
        round.run(set, payload, BATCH);
    }

    @TearDown(Level.Iteration)
    public void stop() {
        stream.end();
        set.close();
        Bench.deleteTree(dir);
    }
}
