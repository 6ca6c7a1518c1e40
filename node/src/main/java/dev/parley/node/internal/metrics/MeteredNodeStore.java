package dev.parley.node.internal.metrics;

import dev.parley.node.internal.store.ForwardingNodeStore;
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
