package dev.parley.benchmarks;

import dev.parley.Identity;
import dev.parley.node.Node;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The node's publish rate (acknowledged publishes per second) with the durable {@code sqlite:} and
 * {@code postgresql:} stores (PostgreSQL on 127.0.0.1:5432, a new database per iteration) against the
 * {@code memory:} store, in the same run: {@value #BATCH} publishes per operation from
 * {@code publishers} clients (bare authenticated transports, one group each), each keeping
 * {@value #PER_PUBLISHER} publishes in flight, so group commit can gather many into one fsync.
 * Over {@code inproc} the node is all there is to measure; over {@code grpc} the network path is
 * included. More publishers mean more publishes in flight, so bigger batches per commit. Target: sqlite ≥ 0.5 × memory.
 * Node and data directory are new for every iteration.
 *
 * <p>Baseline, in the same run: {@code store=sqlite-bare} is no node at all but the same load (as many
 * publishers, each on a topic of its own, the same payloads, keys and publishes in flight) on a
 * {@link BareSqliteLog}: plain sqlite-jdbc doing what a durable log must do per publish, with the node
 * store's pragmas and group commit. {@code sqlite / sqlite-bare} is what the node's store costs over
 * SQLite itself; {@code sqlite-bare / memory} is the ceiling this disk puts on the target (the
 * {@code transport} parameter does not apply to it).
 *
 * <p>Secondary results ({@link Cost}, means over the measurement iterations): CPU time per publish of the whole
 * process, of the store's writer thread and of its syncer thread (the thread that fsyncs the log), in µs. On a
 * shared machine these compare where rates do not.
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
    /** The node store's writer thread ({@code parley-store-<dir>-writer-N}) and the baseline's. */
    private static final Pattern WRITERS = Pattern.compile("parley-store-.*-writer-\\d+|bench-bare-sqlite-writer");
    /** The threads that fsync the log. */
    private static final Pattern SYNCERS = Pattern.compile("parley-store-.*-syncer-\\d+|bench-bare-sqlite-syncer");

    @Param({"memory", "sqlite", "postgresql", "sqlite-bare"})
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
    private BareSqliteLog bare;
    private final List<String> bareSenders = new ArrayList<>();
    private long bareKey;
    private byte[] payload;
    private long published;
    private long processCpuAtStart;

    @Setup(Level.Iteration)
    public void start() throws Exception {
        payload = Bench.textPayload(payloadBytes);
        published = 0;
        processCpuAtStart = ThreadCpu.process();
        if ("sqlite-bare".equals(store)) {
            dataDir = Files.createTempDirectory("parley-bench-bare");
            bare = new BareSqliteLog(dataDir.resolve("bare.db"), publishers);
            for (int i = 0; i < publishers; i++) {
                bareSenders.add(Identity.generate().inboxId());
            }
            return;
        }
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
    }

    @Benchmark
    public void publish() throws Exception {
        published += BATCH;
        if (bare != null) {
            Bench.pipelined(BATCH, publishers * PER_PUBLISHER, i -> {
                int p = i % publishers;
                return bare.append(p, payload, "k" + bareKey++, bareSenders.get(p));
            });
            return;
        }
        load.publish(BATCH, publishers * PER_PUBLISHER, payload);
    }

    @TearDown(Level.Iteration)
    public void stop(Cost cost, IterationParams iteration) throws Exception {
        double perPublish = 1e3 * Math.max(1, published);
        cost.processCpuUsPerPublish = Bench.share((ThreadCpu.process() - processCpuAtStart) / perPublish, iteration);
        cost.writerCpuUsPerPublish = Bench.share(ThreadCpu.ofThreadsNamed(WRITERS) / perPublish,
                iteration);
        cost.syncerCpuUsPerPublish = Bench.share(ThreadCpu.ofThreadsNamed(SYNCERS) / perPublish,
                iteration);
        if (bare != null) {
            bare.close();
            bare = null;
            bareSenders.clear();
        } else {
            load.close();
            node.close();
        }
        if (database != null) {
            database.close();
            database = null;
        }
        if (dataDir != null) {
            Bench.deleteTree(dataDir);
            dataDir = null;
        }
    }

    /** CPU time per publish, µs, mean per measurement iteration ({@link Bench#share}); see the class comment. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cost {
        public double processCpuUsPerPublish;
        public double writerCpuUsPerPublish;
        public double syncerCpuUsPerPublish;
    }
}
