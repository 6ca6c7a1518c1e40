package dev.parley.node.internal.metrics;

import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.spi.Envelope;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A node store whose appends (until durable) and reads are timed, sampled (see {@link Sampler}): a
 * call that is not sampled costs one {@link System#nanoTime()}, and only a sampled append allocates
 * (its completion callback).
 */
public final class MeteredNodeStore implements NodeStore {
    private final NodeStore store;
    private final Timer appends;
    private final Timer reads;
    private final Sampler appendSampler = new Sampler(NodeMetrics.SAMPLE_INTERVAL_NS);
    private final Sampler readSampler = new Sampler(NodeMetrics.SAMPLE_INTERVAL_NS);

    public MeteredNodeStore(NodeStore store, NodeMetrics metrics) {
        this.store = store;
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
    public String epoch() {
        return store.epoch();
    }

    @Override
    public CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        long start = System.nanoTime();
        return timed(start, store.append(topic, payload, idempotencyKey, senderInboxId));
    }

    @Override
    public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String idempotencyKey,
                                                            String senderInboxId) {
        long start = System.nanoTime();
        return timed(start, store.appendToConversation(conversationId, payload, idempotencyKey, senderInboxId));
    }

    @Override
    public CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                                    String idempotencyKey, String senderInboxId) {
        long start = System.nanoTime();
        return timed(start, store.changeConversation(conversationId, change, idempotencyKey, senderInboxId));
    }

    @Override
    public List<Envelope> read(String topic, long afterSequence, int limit) {
        long start = System.nanoTime();
        if (!readSampler.take(start)) {
            return store.read(topic, afterSequence, limit);
        }
        try {
            return store.read(topic, afterSequence, limit);
        } finally {
            reads.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public long lastSequence(String topic) {
        return store.lastSequence(topic);
    }

    @Override
    public long firstRetained(String topic) {
        return store.firstRetained(topic);
    }

    @Override
    public long storedBytes(String senderInboxId) {
        return store.storedBytes(senderInboxId);
    }

    @Override
    public long trim(Retention retention) {
        return store.trim(retention);
    }

    @Override
    public CompletableFuture<Void> putConversation(ConversationEntry conversation) {
        return store.putConversation(conversation);
    }

    @Override
    public Optional<ConversationEntry> conversation(String id) {
        return store.conversation(id);
    }

    @Override
    public void onAppended(BiConsumer<String, Long> listener) {
        store.onAppended(listener);
    }

    @Override
    public void probe() {
        store.probe();
    }

    @Override
    public void close() {
        store.close();
    }
}
