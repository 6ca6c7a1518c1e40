package dev.parley.node;

import dev.parley.node.internal.store.MemoryNodeStoreProvider;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.NodeStoreProvider;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * {@code faulty:}, for tests: a memory store whose appends and {@link NodeStore#probe() probes} fail with a
 * {@link StoreException} while {@link #FAILING}.
 */
public final class FaultyStoreProvider implements NodeStoreProvider {
    /** Whether the store fails now; tests set it back to false when they end. */
    public static final AtomicBoolean FAILING = new AtomicBoolean();

    @Override
    public String scheme() {
        return "faulty";
    }

    private static <T> CompletableFuture<T> failure() {
        return CompletableFuture.failedFuture(new StoreException("cannot store in /secret/path: disk full"));
    }

    @Override
    public NodeStore open(URI uri) {
        NodeStore memory = new MemoryNodeStoreProvider().open(URI.create("memory:/"));
        return new NodeStore() {
            @Override
            public String epoch() {
                return memory.epoch();
            }

            @Override
            public CompletableFuture<Appended> append(String topic, byte[] payload, String key, String sender) {
                return FAILING.get() ? failure() : memory.append(topic, payload, key, sender);
            }

            @Override
            public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String key,
                                                                    String sender) {
                return FAILING.get() ? failure() : memory.appendToConversation(conversationId, payload, key, sender);
            }

            @Override
            public CompletableFuture<Optional<Appended>> changeConversation(String conversationId,
                                                                            ConversationChange change, String key,
                                                                            String sender) {
                return FAILING.get() ? failure() : memory.changeConversation(conversationId, change, key, sender);
            }

            @Override
            public List<Envelope> read(String topic, long afterSequence, int limit) {
                return memory.read(topic, afterSequence, limit);
            }

            @Override
            public long lastSequence(String topic) {
                return memory.lastSequence(topic);
            }

            @Override
            public long firstRetained(String topic) {
                return memory.firstRetained(topic);
            }

            @Override
            public long storedBytes(String senderInboxId) {
                return memory.storedBytes(senderInboxId);
            }

            @Override
            public long trim(Retention retention) {
                return memory.trim(retention);
            }

            @Override
            public CompletableFuture<Void> putConversation(ConversationEntry conversation) {
                return memory.putConversation(conversation);
            }

            @Override
            public Optional<ConversationEntry> conversation(String id) {
                return memory.conversation(id);
            }

            @Override
            public void onAppended(BiConsumer<String, Long> listener) {
                memory.onAppended(listener);
            }

            @Override
            public void probe() {
                if (FAILING.get()) {
                    throw new StoreException("cannot read /secret/path: I/O error");
                }
            }

            @Override
            public void close() {
                memory.close();
            }
        };
    }
}
