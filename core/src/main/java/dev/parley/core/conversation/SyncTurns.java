package dev.parley.core.conversation;

import dev.parley.ParleyException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A client's syncs, one at a time, holding no thread while they wait their turn: they share the store's cursors,
 * so two at once would read the same pages twice. Full syncs that wait together run as one, which reads what each
 * of them reads (a topic is left out only when every one of them leaves it out), so any number of streams
 * restarting at once cost one more sync, not a thread and a sync each. Each sync starts on {@code pool} (the
 * client's {@link SyncLane}).
 */
final class SyncTurns {
    private final Executor pool;
    private final Function<Predicate<String>, CompletableFuture<Void>> fullSync;
    private final ArrayDeque<Turn> waiting = new ArrayDeque<>(); // guarded by this
    private boolean running; // guarded by this

    /** @param fullSync starts a full sync that leaves out the messages of the topics its argument accepts */
    SyncTurns(Executor pool, Function<Predicate<String>, CompletableFuture<Void>> fullSync) {
        this.pool = pool;
        this.fullSync = fullSync;
    }

    /**
     * A full sync leaving out the messages of the topics {@code replayed} accepts, once the syncs before it are
     * done; it joins a full sync that is waiting already.
     */
    CompletableFuture<Void> full(Predicate<String> replayed) {
        synchronized (this) {
            for (Turn turn : waiting) {
                if (turn instanceof FullTurn full) {
                    full.replayed.add(replayed);
                    return full.done.copy(); // a caller's cancel must not cancel the others' sync
                }
            }
            return enqueue(new FullTurn(replayed));
        }
    }

    /** {@code sync}, started once the syncs before it are done. */
    CompletableFuture<Void> one(Supplier<CompletableFuture<Void>> sync) {
        synchronized (this) {
            return enqueue(new Turn() {
                @Override
                CompletableFuture<Void> start() {
                    return sync.get();
                }
            });
        }
    }

    private CompletableFuture<Void> enqueue(Turn turn) {
        assert Thread.holdsLock(this);
        if (running) {
            waiting.add(turn);
        } else {
            running = true;
            dispatch(turn);
        }
        return turn.done.copy();
    }

    private void dispatch(Turn turn) {
        try {
            pool.execute(() -> begin(turn));
        } catch (RejectedExecutionException closed) {
            turn.done.completeExceptionally(new ParleyException("the client is closed: sync not started", closed));
            next();
        }
    }

    private void begin(Turn turn) {
        CompletableFuture<Void> sync;
        try {
            sync = turn.start();
        } catch (RuntimeException | Error e) {
            sync = CompletableFuture.failedFuture(e);
        }
        sync.whenComplete((v, failure) -> {
            if (failure != null) {
                turn.done.completeExceptionally(failure);
            } else {
                turn.done.complete(null);
            }
            next();
        });
    }

    private void next() {
        Turn turn;
        synchronized (this) {
            turn = waiting.poll();
            if (turn == null) {
                running = false;
                return;
            }
        }
        dispatch(turn);
    }

    private abstract static class Turn {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        abstract CompletableFuture<Void> start();
    }

    private final class FullTurn extends Turn {
        final List<Predicate<String>> replayed = new ArrayList<>(); // guarded by SyncTurns.this until it starts

        FullTurn(Predicate<String> replayed) {
            this.replayed.add(replayed);
        }

        @Override
        CompletableFuture<Void> start() {
            List<Predicate<String>> all;
            synchronized (SyncTurns.this) {
                all = List.copyOf(replayed);
            }
            return fullSync.apply(topic -> all.stream().allMatch(leaves -> leaves.test(topic)));
        }
    }
}
