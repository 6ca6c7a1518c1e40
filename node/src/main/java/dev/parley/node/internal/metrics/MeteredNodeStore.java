package dev.parley.node.internal.metrics;

import dev.parley.node.internal.store.ForwardingNodeStore;
import dev.parley.node.store.AppendListener;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node store whose appends (until durable) and reads are timed, sampled (see {@link Sampler}): a
 * call that is not sampled costs one {@link System#nanoTime()}, and only a sampled append allocates
 * (its completion callback).
 */
public final class MeteredNodeStore extends ForwardingNodeStore {
    private final Timer appends;
    private final Timer reads;
    private final Sampler appendSampler = new Sampler(NodeMetrics.SAMPLE_INTERVAL_NS);
    private final Sampler readSampler = new Sampler(NodeMetrics.SAMPLE_INTERVAL_NS);

    public MeteredNodeStore(NodeStore store, NodeMetrics metrics) {
        super(store);
        this.appends = metrics.appendLatency();
        this.reads = metrics.readLatency();
    }

    private <T> CompletableFuture<T> timed(long start, CompletableFuture<T> write) {
        if (appendSampler.take(start)) {
            write.whenComplete((result, failure) -> appends.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        }
        return write;
    }

    @Override
    public CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        long start = System.nanoTime();
        return timed(start, super.append(topic, payload, idempotencyKey, senderInboxId));
    }

    @Override
    public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String idempotencyKey,
                                                            String senderInboxId) {
        long start = System.nanoTime();
        return timed(start, super.appendToConversation(conversationId, payload, idempotencyKey, senderInboxId));
    }

    @Override
    public void onAppendedSequence(AppendListener listener) {
        store.onAppendedSequence(listener); // reports are not metered
    }

    /** The wrapped store's answer at once, timed as {@link #append} is. */
    @Override
    public Appended appendNow(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        long start = System.nanoTime();
        try {
            return answered(start, store.appendNow(topic, payload, idempotencyKey, senderInboxId));
        } catch (RuntimeException e) {
            timedNow(start);
            throw e;
        }
    }

    @Override
    public Appended appendToConversationNow(String conversationId, byte[] payload, String idempotencyKey,
                                            String senderInboxId) {
        long start = System.nanoTime();
        try {
            return answered(start, store.appendToConversationNow(conversationId, payload, idempotencyKey, senderInboxId));
        } catch (RuntimeException e) {
            timedNow(start);
            throw e;
        }
    }

    /** {@code result}, sampled when the store answered at once (not null: else its future is timed). */
    private Appended answered(long start, Appended result) {
        if (result != null) {
            timedNow(start);
        }
        return result;
    }

    /** Samples an append answered at once, as {@link #timed} samples one by its future. */
    private void timedNow(long start) {
        if (appendSampler.take(start)) {
            appends.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                                    String idempotencyKey, String senderInboxId) {
        long start = System.nanoTime();
        return timed(start, super.changeConversation(conversationId, change, idempotencyKey, senderInboxId));
    }

    @Override
    public List<Envelope> read(String topic, long afterSequence, int limit) {
        long start = System.nanoTime();
        if (!readSampler.take(start)) {
            return super.read(topic, afterSequence, limit);
        }
        try {
            return super.read(topic, afterSequence, limit);
        } finally {
            reads.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
