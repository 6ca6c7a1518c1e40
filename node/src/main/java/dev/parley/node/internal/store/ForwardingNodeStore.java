package dev.parley.node.internal.store;

import dev.parley.node.store.AppendListener;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.spi.Envelope;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A store that passes every call on to another: decorators override what they change. It overrides
 * every {@link NodeStore} method, default ones included (a test checks), so a decorator never answers
 * for the store it wraps by accident.
 */
public abstract class ForwardingNodeStore implements NodeStore {
    protected final NodeStore store;

    protected ForwardingNodeStore(NodeStore store) {
        this.store = store;
    }

    @Override
    public String epoch() {
        return store.epoch();
    }

    @Override
    public CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        return store.append(topic, payload, idempotencyKey, senderInboxId);
    }

    @Override
    public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String idempotencyKey,
                                                            String senderInboxId) {
        return store.appendToConversation(conversationId, payload, idempotencyKey, senderInboxId);
    }

    /**
     * Null: {@link #append} answers, so a decorator that changes appends need not know of this one. A
     * decorator that leaves appends to the wrapped store may forward it.
     */
    @Override
    public Appended appendNow(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        return null;
    }

    /** Null, as {@link #appendNow}: {@link #appendToConversation} answers. */
    @Override
    public Appended appendToConversationNow(String conversationId, byte[] payload, String idempotencyKey,
                                            String senderInboxId) {
        return null;
    }

    @Override
    public CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                                    String idempotencyKey, String senderInboxId) {
        return store.changeConversation(conversationId, change, idempotencyKey, senderInboxId);
    }

    @Override
    public List<Envelope> read(String topic, long afterSequence, int limit) {
        return store.read(topic, afterSequence, limit);
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

    /** Through {@link #onAppended(BiConsumer)}, so a decorator that changes that one sees this one too. */
    @Override
    public void onAppendedSequence(AppendListener listener) {
        onAppended(listener::appended);
    }

    @Override
    public void probe() {
        store.probe();
    }

    @Override
    public void onConversationChanged(Consumer<String> listener) {
        store.onConversationChanged(listener);
    }

    @Override
    public void close() {
        store.close();
    }
}
