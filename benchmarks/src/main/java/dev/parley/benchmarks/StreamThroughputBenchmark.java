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

import java.util.concurrent.TimeUnit;

/**
 * Messages per second from a publisher through the node to a {@code streamAllMessages} consumer
 * (push: {@code onValue}; pull: the iterator). The publisher pipelines its publishes (at most
 * {@value #WINDOW} in flight) so the figure is the stream's delivery rate, not one round trip per
 * message. Compare with {@link BareRelayBenchmark} of the same payload size.
 *
 * <p>Warm-up is long on purpose: over gRPC the SDK's path (client, node, protobuf, Netty) needs
 * about 30 s of traffic before C2 has compiled it; with 4 s of warm-up the same code measured a
 * third of its steady rate. The baselines get the same warm-up.
 *
 * <p>Node, clients and stream are new for every iteration: the node's in-memory log and the
 * client's in-memory store keep every message, and over a whole trial (millions of messages) their
 * growth turned the measurement into one of garbage collection of a multi-GiB heap (1 KiB payloads
 * in-process fell from 288 k to 0.3 k msg/s within a trial). Per iteration they hold at most one
 * iteration's messages; the JIT's work carries over.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(StreamThroughputBenchmark.BATCH)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StreamThroughputBenchmark {
    static final int BATCH = 2_000;
    static final int WINDOW = Bench.WINDOW;

    @Param({"inproc", "grpc", "ws"})
    public String transport;

    @Param({"64", "1024"})
    public int payloadBytes;

    @Param({"1", "100"})
    public int conversations;

    @Param({"push", "pull"})
    public String mode;

    private PublisherAndSubscriber set;
    private MessageStream<DecodedMessage> stream;
    private Thread puller;
    private byte[] payload;
    private final DeliveryRound round = new DeliveryRound();

    @Setup(Level.Iteration)
    public void start() throws InterruptedException {
        set = new PublisherAndSubscriber(transport, conversations);
        payload = Bench.textPayload(payloadBytes);
        if ("push".equals(mode)) {
            stream = set.subscriber.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                    .onValue(m -> round.delivered()).build());
        } else {
            stream = set.subscriber.conversations().streamAllMessages();
            puller = new Thread(() -> {
                for (DecodedMessage ignored : stream) {
                    round.delivered();
                }
            }, "bench-puller");
            puller.setDaemon(true);
            puller.start();
        }
    }

    @Benchmark
    public void deliver() throws Exception {
        round.run(set, payload, BATCH);
    }

    @TearDown(Level.Iteration)
    public void stop() throws InterruptedException {
        stream.end();
        if (puller != null) {
            puller.join(5_000);
        }
        set.close();
    }
}
