package dev.parley.core.conversation;

import dev.parley.ParleyException;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SyncTurns} with a pool the test runs by hand and syncs the test finishes by hand. */
class SyncTurnsTest {
    private final ArrayDeque<Runnable> poolTasks = new ArrayDeque<>();
    private final List<Predicate<String>> fullSyncs = new ArrayList<>(); // what each full sync started with
    private final List<CompletableFuture<Void>> running = new ArrayList<>(); // every started sync, in order
    private final SyncTurns turns = new SyncTurns(poolTasks::add, replayed -> {
        fullSyncs.add(replayed);
        return started();
    });

    @Test
    void syncsRunOneAtATimeInTheOrderAskedAndAWaitingOneIsNotOnThePool() {
        CompletableFuture<Void> a = turns.one(this::started);
        CompletableFuture<Void> b = turns.one(this::started);
        assertThat(poolTasks).as("b waits without a task on the pool").hasSize(1);
        runPool();
        assertThat(running).hasSize(1);
        running.get(0).complete(null);
        assertThat(a).isCompleted();
        assertThat(b).isNotDone();
        runPool();
        assertThat(running).hasSize(2);
        running.get(1).complete(null);
        assertThat(b).isCompleted();
        assertThat(poolTasks).isEmpty();
    }

    @Test
    void fullSyncsThatWaitTogetherRunAsOneThatLeavesOutOnlyWhatEveryOneOfThemLeavesOut() {
        turns.one(this::started);
        CompletableFuture<Void> first = turns.full(Set.of("t1", "t2")::contains);
        CompletableFuture<Void> second = turns.full(Set.of("t2", "t3")::contains);
        runPool();
        running.get(0).complete(null);
        runPool();
        assertThat(fullSyncs).as("one sync for both").hasSize(1);
        Predicate<String> leftOut = fullSyncs.get(0);
        assertThat(List.of("t1", "t2", "t3", "t4")).filteredOn(leftOut).containsExactly("t2");
        assertThat(first).isNotDone();
        running.get(1).complete(null);
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
    }

    @Test
    void aFullSyncThatHasStartedIsNotJoinedButFollowed() {
        turns.full(topic -> false);
        runPool();
        CompletableFuture<Void> later = turns.full(topic -> false);
        running.get(0).complete(null);
        assertThat(later).as("it reads what the running one may have missed").isNotDone();
        runPool();
        assertThat(fullSyncs).hasSize(2);
        running.get(1).complete(null);
        assertThat(later).isCompleted();
    }

    @Test
    void oneCallerCancellingItsFutureCancelsNeitherTheSyncNorTheOthersWait() {
        turns.one(this::started);
        CompletableFuture<Void> first = turns.full(topic -> false);
        CompletableFuture<Void> second = turns.full(topic -> false);
        first.cancel(false);
        runPool();
        running.get(0).complete(null);
        runPool();
        running.get(1).complete(null);
        assertThat(second).isCompleted();
    }

    @Test
    void aFailedSyncFailsItsCallersAndTheNextStillRuns() {
        CompletableFuture<Void> a = turns.one(this::started);
        CompletableFuture<Void> b = turns.one(() -> {
            throw new IllegalStateException("store closed");
        });
        CompletableFuture<Void> c = turns.one(this::started);
        runPool();
        running.get(0).completeExceptionally(new ParleyException("node gone"));
        assertThat(a).isCompletedExceptionally();
        runPool();
        assertThat(b).isCompletedExceptionally();
        runPool();
        running.get(1).complete(null);
        assertThat(c).isCompleted();
    }

    @Test
    void syncsAskedOfAClosedPoolFailAtOnce() {
        SyncTurns closed = new SyncTurns(task -> {
            throw new RejectedExecutionException("closed");
        }, replayed -> started());
        CompletableFuture<Void> a = closed.full(topic -> false);
        CompletableFuture<Void> b = closed.one(this::started);
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(running).as("nothing started").isEmpty();
    }

    private CompletableFuture<Void> started() {
        CompletableFuture<Void> sync = new CompletableFuture<>();
        running.add(sync);
        return sync;
    }

    private void runPool() {
        Runnable task = poolTasks.poll();
        if (task != null) {
            task.run();
        }
    }
}
