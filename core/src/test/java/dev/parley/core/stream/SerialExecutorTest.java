package dev.parley.core.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Tasks of one serial executor run one at a time in order; a yielding one lets the pool's other work in between. */
@Timeout(30)
class SerialExecutorTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @RepeatedTest(20)
    void aYieldingExecutorLetsOtherWorkOfThePoolRunBetweenItsTasks() throws Exception {
        assertThat(order(SerialExecutor.yielding(pool))).containsExactly("a1", "other", "a2", "a3");
    }

    @RepeatedTest(20)
    void aPlainExecutorRunsWhatIsQueuedBeforeOtherWork() throws Exception {
        assertThat(order(new SerialExecutor(pool))).containsExactly("a1", "a2", "a3", "other");
    }

    @RepeatedTest(20)
    void aYieldingExecutorRunsOneTaskAtATimeInOrderOnAWiderPool() throws Exception {
        ExecutorService wide = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = SerialExecutor.yielding(wide);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            AtomicInteger running = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1_000);
            for (int i = 0; i < 1_000; i++) {
                int task = i;
                serial.execute(() -> {
                    assertThat(running.incrementAndGet()).isEqualTo(1);
                    ran.add(task);
                    running.decrementAndGet();
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).isSorted().hasSize(1_000);
        } finally {
            wide.shutdownNow();
            assertThat(wide.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Three tasks queued while the first runs, and other work handed to the pool meanwhile: the order they ran in. */
    private List<String> order(SerialExecutor serial) throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(4);
        serial.execute(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("a1");
            done.countDown();
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        serial.execute(() -> {
            ran.add("a2");
            done.countDown();
        });
        serial.execute(() -> {
            ran.add("a3");
            done.countDown();
        });
        pool.execute(() -> {
            ran.add("other");
            done.countDown();
        });
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return ran;
    }
}
