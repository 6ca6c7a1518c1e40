package dev.parley.core.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CatchUps} with a serial executor the test runs by hand and catch-ups the test finishes by hand. */
class CatchUpsTest {
    private final ArrayDeque<Runnable> serialTasks = new ArrayDeque<>();
    private final CatchUps catchUps = new CatchUps(serialTasks::add);
    private final Map<String, CompletableFuture<Void>> started = new LinkedHashMap<>(); // in the order they started

    @Test
    void aCatchUpStartsOnlyOnceTheOneBeforeHasFinishedAndOnlyTheNewestOfThoseWaitingRuns() {
        CompletableFuture<Void> a = catchUps.run(catchUp("a"));
        CompletableFuture<Void> b = catchUps.run(catchUp("b"));
        CompletableFuture<Void> c = catchUps.run(catchUp("c"));
        assertThat(started).as("only a has started").containsOnlyKeys("a");
        assertThat(b).as("replaced by c while waiting").isCancelled();

        finish("a");
        assertThat(a).isCompleted();
        assertThat(started).as("c waits for the serial executor's turn").containsOnlyKeys("a");
        runSerial();
        assertThat(started.keySet()).containsExactly("a", "c");
        assertThat(c).isNotDone();
        finish("c");
        assertThat(c).isCompleted();
    }

    @Test
    void aCatchUpCancelledWhileWaitingNeverStarts() {
        catchUps.run(catchUp("a"));
        catchUps.run(catchUp("b")).cancel(false); // its attempt was dropped, no newer one came
        finish("a");
        runSerial();
        assertThat(started.keySet()).containsExactly("a");
        catchUps.run(catchUp("c"));
        assertThat(started.keySet()).as("the next one starts at once").containsExactly("a", "c");
    }

    @Test
    void oneThatWaitsBehindACatchUpStartedBeforeTheLastCompletionWasSeenStillWaitsForIt() {
        catchUps.run(catchUp("a"));
        catchUps.run(catchUp("b"));
        finish("a"); // the serial executor has not looked at it yet
        catchUps.run(catchUp("c")); // a is done: c starts at once, b is replaced
        catchUps.run(catchUp("d")); // waits for c
        runSerial(); // a's completion, seen late: d must go on waiting for c
        assertThat(started.keySet()).containsExactly("a", "c");
        finish("c");
        runSerial();
        assertThat(started.keySet()).containsExactly("a", "c", "d");
    }

    @Test
    void aFailedCatchUpFailsItsFutureAndTheNextStillRuns() {
        CompletableFuture<Void> a = catchUps.run(catchUp("a"));
        catchUps.run(catchUp("b"));
        started.get("a").completeExceptionally(new IllegalStateException("sync failed"));
        assertThat(a).isCompletedExceptionally();
        runSerial();
        assertThat(started.keySet()).containsExactly("a", "b");
    }

    @Test
    void aCatchUpThatThrowsWhenStartedFailsItsFutureAndTheNextStillRuns() {
        CompletableFuture<Void> a = catchUps.run(() -> {
            throw new IllegalStateException("store closed");
        });
        assertThat(a).isCompletedExceptionally();
        catchUps.run(catchUp("b"));
        runSerial();
        assertThat(started.keySet()).containsExactly("b");
    }

    /** A catch-up that, once started, runs until the test finishes it. */
    private Supplier<CompletableFuture<Void>> catchUp(String name) {
        return () -> started.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    private void finish(String name) {
        started.get(name).complete(null);
    }

    private void runSerial() {
        while (!serialTasks.isEmpty()) {
            serialTasks.poll().run();
        }
    }
}
