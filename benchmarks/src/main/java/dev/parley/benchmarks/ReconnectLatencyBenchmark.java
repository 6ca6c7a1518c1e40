package dev.parley.benchmarks;

import dev.parley.DecodedMessage;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
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

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reconnect latency, as the targets in BENCHMARKS.md define it: from the node dropping the subscriber's connection
 * ({@code node.dropConnections(inboxId)}) until its {@code streamAllMessages} stream is live again
 * ({@code onRestart}) and the next message, published right after the drop, has reached
 * {@code onValue}. Zero-delay retry policy; sync before restart as by default. Every invocation
 * starts from a live stream, because the previous one waited for its restart. Compare with
 * {@link BareReconnectBenchmark}.
 *
 * <p>Besides the JMH figure, each trial prints where the time went on the stream's side of the
 * drop, per phase and as percentiles over the trial: drop → {@code onError} → {@code onRetry}
 * → {@code onRestart} → {@code onValue}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ReconnectLatencyBenchmark {
    private static final long WAIT_SECONDS = 10;

    @Param({"inproc", "grpc", "ws"})
    public String transport;

    /** Conversations of the subscriber: the sync before a restart reads each of them. */
    @Param({"1", "100"})
    public int conversations;

    private PublisherAndSubscriber set;
    private MessageStream<DecodedMessage> stream;
    private byte[] payload;
    private long published;
    private final AtomicLong received = new AtomicLong();
    private final Phases phases = new Phases();
    private volatile CountDownLatch restarted = new CountDownLatch(0);
    private volatile CountDownLatch delivered = new CountDownLatch(0);

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        set = new PublisherAndSubscriber(transport, conversations);
        payload = Bench.textPayload(64);
        stream = set.subscriber.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                .retryDelay(Duration.ZERO)
                .retryAttempts(Integer.MAX_VALUE)
                .onError(e -> phases.mark(Phases.ERROR))
                .onRetry((attempt, max) -> phases.mark(Phases.RETRY))
                .onRestart(() -> {
                    phases.mark(Phases.RESTART);
                    restarted.countDown();
                })
                .onValue(m -> {
                    phases.mark(Phases.VALUE);
                    received.incrementAndGet();
                    delivered.countDown();
                })
                .build());
        if (stream.state() != StreamState.LIVE) {
            throw new IllegalStateException("stream did not start live: " + stream.state());
        }
    }

    @Benchmark
    public void reconnect() throws Exception {
        CountDownLatch restart = new CountDownLatch(1);
        CountDownLatch value = new CountDownLatch(1);
        restarted = restart;
        delivered = value;
        phases.begin();
        set.node.dropConnections(set.subscriber.inboxId());
        set.publisher.publish(set.topic(published), payload, "k" + published++);
        if (!restart.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException("stream not restarted within " + WAIT_SECONDS + " s: " + stream.state());
        }
        if (!value.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException("message published after the drop not delivered within " + WAIT_SECONDS + " s");
        }
        phases.end();
    }

    @TearDown(Level.Trial)
    public void stop() {
        stream.end();
        set.close();
        System.out.println();
        System.out.println(phases.report());
        if (received.get() != published) {
            throw new IllegalStateException(published + " messages published, " + received.get() + " delivered");
        }
    }

    /**
     * Per reconnect, the time from the drop to the first {@code onError}, {@code onRetry},
     * {@code onRestart} and {@code onValue}, collected between {@link #begin} and {@link #end}.
     */
    static final class Phases {
        static final int ERROR = 0;
        static final int RETRY = 1;
        static final int RESTART = 2;
        static final int VALUE = 3;
        private static final String[] NAMES = {"drop→onError", "drop→onRetry", "drop→onRestart", "drop→onValue"};
        private static final int MAX_SAMPLES = 1 << 16;

        private final long[] marks = new long[NAMES.length];
        private final long[][] samples = new long[NAMES.length][MAX_SAMPLES];
        private volatile long dropNanos;
        private int count;

        void begin() {
            Arrays.fill(marks, 0);
            dropNanos = System.nanoTime();
        }

        /** Called from the stream's callbacks, which never run concurrently; the first mark of a phase counts. */
        void mark(int phase) {
            if (marks[phase] == 0) {
                marks[phase] = System.nanoTime() - dropNanos;
            }
        }

        void end() {
            if (count < MAX_SAMPLES) {
                for (int p = 0; p < NAMES.length; p++) {
                    samples[p][count] = marks[p];
                }
                count++;
            }
        }

        String report() {
            StringBuilder out = new StringBuilder("reconnect phases over " + count + " reconnects (µs, p50 / p90 / p99 / max):");
            for (int p = 0; p < NAMES.length; p++) {
                long[] sorted = Arrays.copyOf(samples[p], count);
                Arrays.sort(sorted);
                out.append(String.format("%n  %-16s %8.1f %8.1f %8.1f %8.1f", NAMES[p], pct(sorted, 0.50),
                        pct(sorted, 0.90), pct(sorted, 0.99), pct(sorted, 1.0)));
            }
            return out.toString();
        }

        private static double pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1_000.0;
        }
    }
}
