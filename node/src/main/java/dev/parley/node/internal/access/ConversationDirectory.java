package dev.parley.node.internal.access;

import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which conversations exist and who their members are: the store's directory, with the most
 * recently used entries cached (every write checks membership, so it must not cost a store read).
 */
public final class ConversationDirectory {
    private static final int CACHED = 65_536;

    private final NodeStore store;
    private final Map<String, ConversationEntry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ConversationEntry> eldest) {
            return size() > CACHED;
        }
    };

    public ConversationDirectory(NodeStore store) {
        this.store = store;
    }

    /** Stores a new conversation; completes once it is durable. */
    public CompletableFuture<Void> add(ConversationEntry entry) {
        return store.putConversation(entry).thenRun(() -> cached(entry));
    }

    public Optional<ConversationEntry> find(String conversationId) {
        synchronized (cache) {
            ConversationEntry known = cache.get(conversationId);
            if (known != null) {
                return Optional.of(known);
            }
        }
        // unknown ones are not cached: another node sharing the store may create them any time
        return store.conversation(conversationId).map(this::cached);
    }

    public boolean isMember(String conversationId, String inboxId) {
        return find(conversationId).map(c -> c.isMember(inboxId)).orElse(false);
    }

    private ConversationEntry cached(ConversationEntry entry) {
        synchronized (cache) {
            cache.put(entry.id(), entry);
        }
        return entry;
    }
}
