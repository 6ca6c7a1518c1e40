package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.spi.Envelope;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * Streams on a {@link FakeClock}, a {@link ScriptedTransport} and a direct executor: everything runs
 * on the test's thread, and time moves only with {@link FakeClock#forward}, so retry schedules and
 * heartbeat detection are checked to the nanosecond.
 */
final class FakeClockRuntime {
    static final String TOPIC = "conv/0123456789abcdef";

    final FakeClock clock = new FakeClock();
    final ScriptedTransport transport = new ScriptedTransport();
    final StreamRuntime runtime;

    FakeClockRuntime(Duration heartbeat, RandomGenerator jitter) {
        runtime = new StreamRuntime(transport, Runnable::run, clock, jitter, heartbeat, Duration.ofSeconds(10));
    }

    /** Jitter that always draws the largest value: every backoff delay is its ceiling. */
    static RandomGenerator noJitter() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
    }

    /** A stream of {@link #TOPIC} whose callbacks write into {@code log}, each stamped with the fake time. */
    MessageStream<String> start(StreamOptions.Builder<String> options, EventLog log) {
        return runtime.start(new OneTopicPlan(), log.record(options, clock).build());
    }

    /** Follows {@link #TOPIC} from the start; every envelope is one value, its text. */
    static class OneTopicPlan implements StreamPlan<String> {
        final List<Long> processed = new ArrayList<>();
        int catchUps;

        @Override
        public CompletableFuture<Void> catchUp() {
            catchUps++;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Map<String, Long> initialCursors() {
            return Map.of(TOPIC, 0L);
        }

        @Override
        public void onEnvelope(Envelope envelope, StreamContext<String> context) {
            context.emit(new String(envelope.payload(), StandardCharsets.UTF_8));
        }

        @Override
        public void processed(String topic, long sequence) {
            processed.add(sequence);
        }
    }

    /** One topic from 0, tracking a node epoch that {@link #nodeReset} moves on (also from a pool thread). */
    static class EpochPlan extends OneTopicPlan {
        final List<String> resets = new CopyOnWriteArrayList<>();
        volatile String epoch;

        EpochPlan(String epoch) {
            this.epoch = epoch;
        }

        @Override
        public String epoch() {
            return epoch;
        }

        @Override
        public void nodeReset(String nodeEpoch) {
            resets.add(nodeEpoch);
            epoch = nodeEpoch;
        }
    }

    /** Callback events of streams, in order, each with the fake time it happened at. */
    static final class EventLog {
        final List<String> events = new CopyOnWriteArrayList<>(); // read by tests with a real pool
        final List<Long> atMillis = new CopyOnWriteArrayList<>();

        StreamOptions.Builder<String> record(StreamOptions.Builder<String> options, FakeClock clock) {
            return options
                    .onValue(v -> add("value:" + v, clock))
                    .onError(e -> add(e instanceof StreamFailedException ? "failed" : "error", clock))
                    .onRetry((attempt, max) -> add("retry:" + attempt + "/" + max, clock))
                    .onRestart(() -> add("restart", clock))
                    .onFail(() -> add("fail", clock))
                    .onEnd(() -> add("end", clock))
                    .onHistoryLost(lost -> add("lost:" + lost.conversationId() + "#" + lost.fromSequence() + ".."
                            + lost.toSequence() + ":" + lost.reason(), clock));
        }

        private void add(String event, FakeClock clock) {
            events.add(event);
            atMillis.add(Duration.ofNanos(clock.nanoTime()).toMillis());
        }

        /** The time of the last event named {@code event}. */
        long lastAt(String event) {
            return atMillis.get(events.lastIndexOf(event));
        }
    }
}
