package dev.parley.node.store.postgresql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs the store's write transactions on a few single-thread executors, picked by topic: the writes of
 * one topic run one at a time, in call order, so this node assigns a topic's sequences in call order;
 * writes of different topics run side by side (PostgreSQL serializes them by topic row anyway).
 */
final class Stripes implements AutoCloseable {
    private final List<ExecutorService> executors = new ArrayList<>();

    Stripes(int count, String name) {
        for (int i = 0; i < count; i++) {
            String threadName = name + "-" + i;
            executors.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    /** Runs {@code work} after the earlier work of {@code topic}; its future completes with its result or failure. */
    <T> CompletableFuture<T> submit(String topic, Supplier<T> work) {
        ExecutorService executor = executors.get(Math.floorMod(topic.hashCode(), executors.size()));
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the node store is closed", e));
        }
    }

    /** Finishes the work submitted so far (up to 10 s), then stops. */
    @Override
    public void close() {
        executors.forEach(ExecutorService::shutdown);
        for (ExecutorService e : executors) {
            try {
                if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }
}
