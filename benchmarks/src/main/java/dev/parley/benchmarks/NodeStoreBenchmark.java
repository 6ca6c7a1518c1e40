package dev.parley.benchmarks;

import dev.parley.node.Node;
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
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The node's publish rate (acknowledged publishes per second) with the durable {@code sqlite:} and
 * {@code postgresql:} stores (PostgreSQL on 127.0.0.1:5432, a new database per iteration) against the
 * {@code memory:} store, in the same run: {@value #BATCH} publishes per operation from
 * {@code publishers} clients (bare authenticated transports, one group each), each keeping
 * {@value #PER_PUBLISHER} publishes in flight, so group commit can gather many into one fsync.
 * Over {@code inproc} the node is all there is to measure; over {@code grpc} the network path is
 * included. More publishers mean more publishes in flight, so bigger batches per commit. Target: sqlite ≥ 0.5 × memory. Node and data directory are new for every iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(NodeStoreBenchmark.BATCH)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class NodeStoreBenchmark {
    static final int BATCH = 4_000;
    static final int PER_PUBLISHER = 32;

    @Param({"memory", "sqlite", "postgresql"})
    public String store;

    @Param({"inproc", "grpc"})
    public String transport;

    @Param({"8", "32"})
    public int publishers;

    @Param({"256"})
    public int payloadBytes;

    private Path dataDir;
    private PostgresDatabase database;
    private Node node;
    private final Publishers load = new Publishers();
    private byte[] payload;

    @Setup(Level.Iteration)
    public void start() throws Exception {
        String uri = "memory:";
        if ("sqlite".equals(store)) {
            dataDir = Files.createTempDirectory("parley-bench-store");
            uri = "sqlite:" + dataDir.toAbsolutePath();
        } else if ("postgresql".equals(store)) {
            database = PostgresDatabase.create();
            uri = database.storeUri();
        }
        node = Bench.node(transport, uri);
        for (int i = 0; i < publishers; i++) {
            load.add(node, transport);
        }
        payload = Bench.textPayload(payloadBytes);
    }

    @Benchmark
    public void publish() throws Exception {
        load.publish(BATCH, publishers * PER_PUBLISHER, payload);
    }

    @TearDown(Level.Iteration)
    public void stop() throws IOException, SQLException {
        load.close();
        node.close();
        if (database != null) {
            database.close();
            database = null;
        }
        if (dataDir != null) {
            Bench.deleteTree(dataDir);
            dataDir = null;
        }
    }
}
