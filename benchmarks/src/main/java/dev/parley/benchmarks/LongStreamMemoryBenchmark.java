package dev.parley.benchmarks;

import dev.parley.DecodedMessage;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client without {@code dbPath} that streams for a long time holds flat memory: a push
 * {@code streamAllMessages} consumer takes every message a paced publisher ({@link PacedRun}) sends
 * for {@code seconds}, with the in-memory store bounded by {@code cachedMessages} per conversation.
 * The used heap after GC is read at the start, at the first sample (the cache is full by then) and at
 * the end. As in {@link SlowConsumerBenchmark} the node's in-memory log (same JVM) grows with every
 * message whatever the client does, so {@code consumer=none} (same publisher and clients, no stream,
 * the client stores nothing) measures the node's share; the client's is the difference of
 * {@code lateGrowthMiB} (end minus first sample) between {@code push} and {@code none}.
 *
 * <p>The primary score is only the length of the run; the figures are the secondary results.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class LongStreamMemoryBenchmark {
    @Param({"inproc"})
    public String transport;

    @Param({"120"})
    public int seconds;

    @Param({"push", "none"})
    public String consumer;

    @Param({"64"})
    public int payloadBytes;

    /** Messages published per second; 0: as fast as the publisher's window allows. */
    @Param({"10000"})
    public int rate;

    @Param({"1000"})
    public int cachedMessages;

    private PublisherAndSubscriber set;
    private MessageStream<DecodedMessage> stream;
    private final AtomicLong delivered = new AtomicLong();

    @Setup(Level.Iteration)
    public void start() throws InterruptedException {
        set = new PublisherAndSubscriber(transport, 1, options -> options.cachedMessagesPerConversation(cachedMessages));
        if ("push".equals(consumer)) {
            stream = set.subscriber.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                    .onValue(m -> delivered.incrementAndGet()).build());
        }
    }

    @Benchmark
    public void streamForLong(Heap heap, IterationParams iteration) throws Exception {
        PacedRun run = PacedRun.run(set, payloadBytes, rate, seconds);
        heap.published = Bench.share(run.published, iteration);
        heap.delivered = Bench.share(delivered.get(), iteration);
        heap.heapGrowthMiB = Bench.share((run.endHeap - run.startHeap) / Bench.MIB, iteration);
        heap.lateGrowthMiB = Bench.share((run.endHeap - run.firstSampleHeap) / Bench.MIB, iteration);
        heap.startHeapMiB = Bench.share(run.startHeap / Bench.MIB, iteration);
        heap.endHeapMiB = Bench.share(run.endHeap / Bench.MIB, iteration);
    }

    @TearDown(Level.Iteration)
    public void stop() {
        Optional.ofNullable(stream).ifPresent(MessageStream::end);
        stream = null;
        set.close();
    }

    /** Secondary results, means over the measurement iterations ({@link Bench#share}); see the class comment. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        /** Used heap after GC, end minus start, MiB. */
        public double heapGrowthMiB;
        /** Used heap after GC, end minus the first sample, MiB. */
        public double lateGrowthMiB;
        /** Used heap after GC at the start and at the end, MiB. */
        public double startHeapMiB;
        public double endHeapMiB;
        /** Messages published and acknowledged by the node. */
        public double published;
        /** Messages the stream delivered to its consumer. */
        public double delivered;
    }
}
