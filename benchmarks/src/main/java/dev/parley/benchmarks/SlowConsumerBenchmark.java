package dev.parley.benchmarks;

import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.MessageStream;
import dev.parley.StreamState;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A consumer that stops reading holds memory flat (a performance target: see BENCHMARKS.md). A pull-mode {@code streamAllMessages}
 * (no {@code onValue}, default {@code bufferSize} 256) is never read while a publisher (bare transport,
 * pipelined like {@link StreamThroughputBenchmark}) sends {@code rate} {@code payloadBytes}-byte messages
 * a second into its conversation for {@code seconds}. The used heap after GC is read at the start, every
 * {@code seconds / 6} seconds (at least 1) and at the end.
 *
 * <p>The node runs in this JVM and keeps every message in its in-memory log, so the heap grows with the
 * messages published whatever the client does. The two are told apart by measurement, not by estimate:
 * {@code consumer=none} runs the same publisher and subscriber client without the stream, so its growth is
 * the node's log alone, and with {@code consumer=stalled} the stream is open and unread. The publisher is
 * paced so that both publish the same number of messages (check {@code published}): the node's log then
 * costs the same in both, and the difference of their {@code heapGrowthMiB} is what the stalled stream
 * holds on the client side (a client that kept what it could not deliver would add at least the payload
 * per message). {@code received} is how many messages the subscriber took from the node (its local
 * store keeps each one a stream processes): flow control bounds it by {@code bufferSize}, however many
 * were published. The figures carry the noise of full GCs of a heap the size of the node's log
 * (a few MiB); with {@code rate=0} (as fast as possible) the counts differ and only {@code received} and
 * {@code heapPerMessageB} compare.
 *
 * <p>The primary score is only the length of the run; the figures are the secondary results.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(1)
public class SlowConsumerBenchmark {
    @Param({"inproc", "grpc", "ws"})
    public String transport;

    @Param({"30"})
    public int seconds;

    @Param({"stalled", "none"})
    public String consumer;

    @Param({"1024"})
    public int payloadBytes;

    /** Messages published per second; 0: as fast as the publisher's window allows. */
    @Param({"5000"})
    public int rate;

    private PublisherAndSubscriber set;
    private MessageStream<DecodedMessage> stream;

    @Setup(Level.Iteration)
    public void start() throws InterruptedException {
        set = new PublisherAndSubscriber(transport, 1);
        if ("stalled".equals(consumer)) {
            stream = set.subscriber.conversations().streamAllMessages();
        }
    }

    @Benchmark
    public void publishToStalledConsumer(Heap heap, IterationParams iteration) throws Exception {
        PacedRun run = PacedRun.run(set, payloadBytes, rate, seconds);
        if (stream != null && stream.state() != StreamState.LIVE) {
            throw new IllegalStateException("the stalled stream is " + stream.state() + ", not LIVE");
        }
        int received = set.subscriber.conversations().getConversationById(set.conversationIds.get(0))
                .map(Conversation::messages).map(List::size).orElse(0);
        heap.published = Bench.share(run.published, iteration);
        heap.received = Bench.share(received, iteration);
        heap.heapGrowthMiB = Bench.share((run.endHeap - run.startHeap) / Bench.MIB, iteration);
        heap.maxHeapGrowthMiB = Bench.share((run.maxHeap - run.startHeap) / Bench.MIB, iteration);
        heap.heapPerMessageB = Bench.share((double) (run.endHeap - run.startHeap) / Math.max(1, run.published),
                iteration);
    }

    @TearDown(Level.Iteration)
    public void stop() {
        if (stream != null) {
            stream.end();
            stream = null;
        }
        set.close();
    }

    /** Secondary results, means over the measurement iterations ({@link Bench#share}); see the class comment. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        /** Used heap after GC, end minus start, MiB. */
        public double heapGrowthMiB;
        /** Highest used heap after GC during the run minus start, MiB. */
        public double maxHeapGrowthMiB;
        /** Heap growth divided by messages published, bytes. */
        public double heapPerMessageB;
        /** Messages published and acknowledged by the node. */
        public double published;
        /** Messages the subscriber client took from the node. */
        public double received;
    }
}
