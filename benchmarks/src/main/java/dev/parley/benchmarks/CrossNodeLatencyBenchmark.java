package dev.parley.benchmarks;

import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.spi.Envelope;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
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

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivery latency, publish acknowledged on one node → envelope at a subscriber (SampleTime: p50, p99
 * in the output): {@code memory-1-node} (the in-memory node, baseline), {@code postgresql-1-node}
 * (publisher and subscriber on one node of a PostgreSQL cluster) and {@code postgresql-2-nodes}
 * (subscriber on the other node: the commit's NOTIFY wakes it, it reads the row). Bare in-process
 * transports, one message in flight. Target: cross-node p99 ≤ 50 ms on loopback.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CrossNodeLatencyBenchmark {
    @Param({"memory-1-node", "postgresql-1-node", "postgresql-2-nodes"})
    public String path;

    @Param({"256"})
    public int payloadBytes;

    private PostgresDatabase database;
    private Node publishing;
    private Node subscribing;
    private Transport publisher;
    private Transport subscriber;
    private String topic;
    private byte[] payload;
    private long sequence;
    private final AtomicReference<Awaited> awaited = new AtomicReference<>();

    /** The sequence an operation waits for, and what completes when it arrives. */
    private record Awaited(long sequence, CompletableFuture<Void> arrived) {
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        String store = "memory:";
        if (path.startsWith("postgresql")) {
            database = PostgresDatabase.create();
            store = database.storeUri();
        }
        publishing = Bench.node("inproc", store);
        subscribing = path.equals("postgresql-2-nodes") ? Bench.node("inproc", store) : publishing;
        Identity reader = Identity.generate();
        publisher = Bench.transport(publishing, "inproc", Identity.generate());
        subscriber = Bench.transport(subscribing, "inproc", reader);
        topic = Topics.conversation(Bench.createGroups(publisher, List.of(reader.inboxId()), 1).get(0));
        payload = Bench.textPayload(payloadBytes);
        subscriber.subscribe(Map.of(topic, 0L), Long.MAX_VALUE / 2, new SubscriptionListener() {
            @Override
            public void onEnvelope(Envelope envelope) {
                Awaited now = awaited.get();
                if (now != null && envelope.sequence() >= now.sequence()) {
                    now.arrived().complete(null);
                }
            }

            @Override
            public void onError(Throwable error) {
                Awaited now = awaited.get();
                if (now != null) {
                    now.arrived().completeExceptionally(error);
                }
            }
        }).get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    public void publishThenDeliver() throws Exception {
        Awaited next = new Awaited(++sequence, new CompletableFuture<>());
        awaited.set(next);
        publisher.publish(topic, payload, "k" + sequence).get(10, TimeUnit.SECONDS);
        next.arrived().get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void stop() throws SQLException {
        subscriber.close();
        publisher.close();
        if (subscribing != publishing) {
            subscribing.close();
        }
        publishing.close();
        if (database != null) {
            database.close();
        }
    }
}
