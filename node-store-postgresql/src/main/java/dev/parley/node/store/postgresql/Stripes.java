package dev.parley.node.store.postgresql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the store's write transactions on a few threads, each with its own queue, picked by topic: the
 * writes of one topic run one at a time, in call order, so this node assigns a topic's sequences in call
 * order; writes of different topics run side by side (PostgreSQL serializes them by topic row anyway).
 * Batchable items ({@code B}, appends) queued one after the other are handed to the batch runner
 * together, at most {@code maxBatch} at a time (group commit: one transaction for them all); other work
 * runs alone, in its place in the queue.
 *
 * @param <B> a batchable item; the batch runner completes each one's result
 */
final class Stripes<B> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Stripes.class);
    private static final Object STOP = new Object();

    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Class<B> batchable;
    private final int maxBatch;
    private final Consumer<List<B>> runBatch;
    private final Consumer<B> refuse;
    private volatile boolean closed;

    /**
     * @param runBatch runs a batch, on the stripe's thread
     * @param refuse   fails an item that can no longer run (the store closed)
     */
    Stripes(int count, String name, Class<B> batchable, int maxBatch, Consumer<List<B>> runBatch, Consumer<B> refuse) {
        this.batchable = batchable;
        this.maxBatch = maxBatch;
        this.runBatch = runBatch;
        this.refuse = refuse;
        for (int i = 0; i < count; i++) {
            BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
            Thread t = new Thread(() -> work(queue), name + "-" + i);
            t.setDaemon(true);
            queues.add(queue);
            threads.add(t);
            t.start();
        }
    }

    /** Runs {@code work} alone, after the earlier work of {@code topic}; its future completes with its result or failure. */
    <T> CompletableFuture<T> submit(String topic, Supplier<T> work) {
        Solo<T> solo = new Solo<>(work);
        if (!enqueue(topic, solo)) {
            solo.refuse();
        }
        return solo.result;
    }

    /** Work that runs alone, and its result. */
    private static final class Solo<T> implements Runnable {
        private final Supplier<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Solo(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        void refuse() {
            result.completeExceptionally(new IllegalStateException("the node store is closed"));
        }
    }

    /** Queues {@code item} after the earlier work of {@code topic}, to run in a batch. */
    void submitBatched(String topic, B item) {
        if (!enqueue(topic, item)) {
            refuse.accept(item);
        }
    }

    private boolean enqueue(String topic, Object item) {
        if (closed) {
            return false;
        }
        queues.get(Math.floorMod(topic.hashCode(), queues.size())).add(item);
        return true;
    }

    private void work(BlockingQueue<Object> queue) {
        while (true) {
            Object first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == STOP) {
                return;
            }
            try {
                if (batchable.isInstance(first)) {
                    List<B> batch = new ArrayList<>();
                    batch.add(batchable.cast(first));
                    while (batch.size() < maxBatch && batchable.isInstance(queue.peek())) {
                        batch.add(batchable.cast(queue.poll()));
                    }
                    runBatch.accept(batch);
                } else {
                    ((Runnable) first).run();
                }
            } catch (RuntimeException e) {
                log.error("a store write failed outside its transaction", e);
            }
        }
    }

    /** Finishes the work queued so far (up to 10 s per stripe), then stops; what is left is refused. */
    @Override
    @SuppressWarnings("unchecked")
    public void close() {
        closed = true;
        queues.forEach(q -> q.add(STOP));
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (BlockingQueue<Object> q : queues) {
            for (Object left = q.poll(); left != null; left = q.poll()) {
                if (batchable.isInstance(left)) {
                    refuse.accept((B) left);
                } else if (left instanceof Solo<?> solo) {
                    solo.refuse();
                }
            }
        }
    }
}
