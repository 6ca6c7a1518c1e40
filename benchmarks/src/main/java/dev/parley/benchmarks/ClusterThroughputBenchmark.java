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

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledged publishes per second of 1, 2 and 3 nodes in this JVM sharing one PostgreSQL database
 * (a new one per iteration), {@code publishers} bare in-process clients spread evenly over the
 * nodes, each on a group of its own with {@value #PER_PUBLISHER} publishes in flight. On a 2-core
 * machine this shows what sharing one database costs, not what more machines gain: divide by
 * {@code nodes} for the per-node figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ClusterThroughputBenchmark.BATCH)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ClusterThroughputBenchmark {
    static final int BATCH = 2_000;
    static final int PER_PUBLISHER = 32;

    @Param({"1", "2", "3"})
    public int nodes;

    @Param({"12"})
    public int publishers;

    @Param({"256"})
    public int payloadBytes;

    private PostgresDatabase database;
    private final List<Node> cluster = new ArrayList<>();
    private final Publishers load = new Publishers();
    private byte[] payload;

    @Setup(Level.Iteration)
    public void start() throws Exception {
        database = PostgresDatabase.create();
        for (int i = 0; i < nodes; i++) {
            cluster.add(Bench.node("inproc", database.storeUri()));
        }
        for (int i = 0; i < publishers; i++) {
            load.add(cluster.get(i % nodes), "inproc");
        }
        payload = Bench.textPayload(payloadBytes);
    }

    @Benchmark
    public void publish() throws Exception {
        load.publish(BATCH, publishers * PER_PUBLISHER, payload);
    }

    @TearDown(Level.Iteration)
    public void stop() throws SQLException {
        load.close();
        cluster.forEach(Node::close);
        cluster.clear();
        database.close();
    }
}
