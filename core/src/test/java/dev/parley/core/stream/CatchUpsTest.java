package dev.parley.core.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CatchUps} with a pool and a serial executor the test runs by hand, one task at a time. */
class CatchUpsTest {
    private final ArrayDeque<Runnable> poolTasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> serialTasks = new ArrayDeque<>();
    private final Executor pool = poolTasks::add;
    private final Executor serial = serialTasks::add;
    private final CatchUps catchUps = new CatchUps(pool, serial);
    private final List<String> ran = new ArrayList<>();

    @Test
    void aCatchUpStartsOnlyOnceTheOneBeforeHasFinishedAndOnlyTheNewestOfThoseWaitingRuns() {
        CompletableFuture<Void> a = catchUps.run(() -> ran.add("a"));
        CompletableFuture<Void> b = catchUps.run(() -> ran.add("b"));
        CompletableFuture<Void> c = catchUps.run(() -> ran.add("c"));
        assertThat(poolTasks).as("only a was given to the pool").hasSize(1);
        assertThat(b).as("replaced by c while waiting").isCancelled();

        runPool();
        assertThat(a).isCompleted();
        assertThat(poolTasks).as("c waits for the serial executor's turn").isEmpty();
        runSerial();
        runPool();
        assertThat(ran).containsExactly("a", "c");
        assertThat(c).isCompleted();
    }

    @Test
    void aCatchUpCancelledWhileWaitingNeverStarts() {
        catchUps.run(() -> ran.add("a"));
        catchUps.run(() -> ran.add("b")).cancel(false); // its attempt was dropped, no newer one came
        runPool();
        runSerial();
        assertThat(poolTasks).isEmpty();
        assertThat(ran).containsExactly("a");
        catchUps.run(() -> ran.add("c"));
        runPool();
        assertThat(ran).as("the next one starts at once").containsExactly("a", "c");
    }

    @Test
    void oneThatWaitsBehindACatchUpStartedBeforeTheLastCompletionWasSeenStillWaitsForIt() {
        catchUps.run(() -> ran.add("a"));
        catchUps.run(() -> ran.add("b"));
        runPool(); // a finished; the serial executor has not looked at it yet
        catchUps.run(() -> ran.add("c")); // a is done: c starts at once, b is replaced
        catchUps.run(() -> ran.add("d")); // waits for c
        runSerial(); // a's completion, seen late: d must go on waiting for c
        assertThat(poolTasks).as("only c is on the pool").hasSize(1);
        runPool();
        assertThat(ran).containsExactly("a", "c");
        runSerial();
        runPool();
        assertThat(ran).containsExactly("a", "c", "d");
    }

    @Test
    void aFailedCatchUpFailsItsFutureAndTheNextStillRuns() {
        CompletableFuture<Void> a = catchUps.run(() -> {
            throw new IllegalStateException("sync failed");
        });
        catchUps.run(() -> ran.add("b"));
        runPool();
        assertThat(a).isCompletedExceptionally();
        runSerial();
        runPool();
        assertThat(ran).containsExactly("b");
    }

    private void runPool() {
        Runnable task = poolTasks.poll();
        if (task != null) {
            task.run();
        }
    }

    private void runSerial() {
        while (!serialTasks.isEmpty()) {
            serialTasks.poll().run();
        }
    }
}
