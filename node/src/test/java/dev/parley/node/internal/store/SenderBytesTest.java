package dev.parley.node.internal.store;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored bytes per sender: against a map as the model, and under concurrent adds and removals. */
class SenderBytesTest {
    @Test
    void behavesLikeAMapOfTotalsWithoutZeroes() {
        Random random = new Random(7);
        SenderBytes bytes = new SenderBytes();
        Map<String, Long> model = new HashMap<>();
        for (int step = 0; step < 100_000; step++) {
            String sender = "s" + random.nextInt(20);
            long held = model.getOrDefault(sender, 0L);
            long delta = random.nextBoolean() ? random.nextInt(100) : -Math.min(held, random.nextInt(100));
            bytes.add(sender, delta);
            if (delta != 0) {
                model.merge(sender, delta, (a, b) -> a + b == 0 ? null : a + b);
            }
            assertThat(bytes.of(sender)).isEqualTo(model.getOrDefault(sender, 0L));
            assertThat(bytes.senders()).as("a sender with nothing stored has no entry").isEqualTo(model.size());
        }
    }

    @Test
    void addsAndRemovalsRacingOnOneSenderLoseNothing() throws Exception {
        SenderBytes bytes = new SenderBytes();
        int threads = 4;
        int rounds = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                long amount = t + 1;
                done[t] = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) { // the total often passes through zero
                        bytes.add("alice", amount);
                        bytes.add("alice", -amount);
                    }
                    bytes.add("alice", amount);
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(bytes.of("alice")).isEqualTo(1 + 2 + 3 + 4);
            bytes.add("alice", -10);
            assertThat(bytes.of("alice")).isZero();
            assertThat(bytes.senders()).isZero();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
