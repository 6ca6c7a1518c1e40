package dev.parley.core.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The pull buffer's two sides: values hand over in order, each acknowledged once, a waiting consumer wakes. */
@Timeout(60)
class PullBufferTest {
    private final AtomicInteger taken = new AtomicInteger();
    private final PullBuffer<Integer> buffer = new PullBuffer<>(taken::incrementAndGet);

    @Test
    void valuesArrivingInRunsWhileTheConsumerTakesComeOutInOrderEachAcknowledgedOnce() throws Exception {
        int total = 200_000;
        AtomicInteger acknowledged = new AtomicInteger();
        List<Integer> outOfOrder = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
                try {
                    for (int expected = 0; expected < total; expected++) {
                        int got = buffer.poll(TimeUnit.SECONDS.toNanos(10)).orElseThrow();
                        if (got != expected) {
                            outOfOrder.add(got);
                        }
                        assertThat(buffer.size()).isBetween(0, total - expected - 1);
                    }
                    buffer.acknowledge();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                int next = 0;
                for (int run = 1; next < total; run = run % 50 + 1) {
                    buffer.hold();
                    for (int i = 0; i < run && next < total; i++) {
                        buffer.add(next++, acknowledged::incrementAndGet);
                    }
                    buffer.release();
                }
            }, threads);
            producer.get(30, TimeUnit.SECONDS);
            consumer.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(outOfOrder).isEmpty();
        assertThat(acknowledged).hasValue(total);
        assertThat(taken).hasValue(total);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void aConsumerWaitingOnAnEmptyBufferWakesWhenTheRunOfArrivalsEnds() throws Exception {
        CompletableFuture<Optional<Integer>> waiting = waitingConsumer();
        buffer.hold();
        buffer.add(1, () -> { });
        buffer.add(2, () -> { });
        buffer.release();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).contains(1);
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.take()).contains(2);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void aValueAddedOutsideARunWakesAWaitingConsumer() throws Exception {
        CompletableFuture<Optional<Integer>> waiting = waitingConsumer();
        buffer.add(7, () -> { });
        assertThat(waiting.get(10, TimeUnit.SECONDS)).contains(7);
    }

    @Test
    void discardingDropsTheValuesAlreadyHandedOverToTheConsumer() throws Exception {
        for (int i = 1; i <= 3; i++) {
            buffer.add(i, () -> { });
        }
        assertThat(buffer.take()).contains(1); // 2 and 3 now wait on the consumer's side
        buffer.close(null, true);
        assertThat(buffer.poll(0)).isEmpty();
        assertThat(buffer.size()).isZero();
        assertThat(buffer.isDrained()).isTrue();
    }

    @Test
    void aFailureComesOutOnlyAfterTheValuesBufferedBeforeIt() throws Exception {
        IllegalStateException failure = new IllegalStateException("broken");
        buffer.add(1, () -> { });
        buffer.add(2, () -> { });
        assertThat(buffer.take()).contains(1);
        buffer.close(failure, false);
        assertThat(buffer.failureAfterDrain()).isNull();
        assertThat(buffer.poll(-1)).contains(2);
        assertThat(buffer.poll(-1)).isEmpty();
        assertThat(buffer.isDrained()).isTrue();
        assertThat(buffer.failureAfterDrain()).isSameAs(failure);
    }

    /** A consumer waiting for a value (10 s at most), on another thread. */
    private CompletableFuture<Optional<Integer>> waitingConsumer() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return buffer.poll(TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
