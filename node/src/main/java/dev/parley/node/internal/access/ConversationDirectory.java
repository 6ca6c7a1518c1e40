package dev.parley.node.internal.access;

import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which conversations exist and who their members are, by sequence: the store's directory, with the
 * most recently used entries cached (every write and every read of a conversation consults it, so it
 * must not cost a store read). It is never older than what readers can see of the logs: a group
 * update {@link #pin pins} its entry here when the store assigns its sequence, before the update can
 * be read; a pinned entry is not evicted until the store settled its write ({@link #unpin}), and is
 * {@link #drop dropped} when the write failed. An entry read from the store is cached only when no
 * change was pinned meanwhile, so a slow read never puts an older entry over a newer one.
 */
public final class ConversationDirectory {
    private static final int CACHED = 65_536;

    private final NodeStore store;
    // guarded by this
    private final Map<String, ConversationEntry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ConversationEntry> eldest) {
            return size() > CACHED;
        }
    };
    private final Map<String, Pinned> pinned = new HashMap<>();
    private long pins;

    /** The newest entry of a conversation with group updates not yet settled, and how many. */
    private static final class Pinned {
        ConversationEntry entry;
        int writes;
    }

    public ConversationDirectory(NodeStore store) {
        this.store = store;
        store.onConversationChanged(this::changedElsewhere);
    }

    /**
     * Another node sharing the store changed the conversation: forget what is cached of it, and let no
     * read that started before put an older entry back. A change of this node still pending stays
     * pinned until the store settled it; the next read after that asks the store.
     */
    synchronized void changedElsewhere(String conversationId) {
        pins++;
        cache.remove(conversationId);
    }

    /** Stores a new conversation; completes once it is durable. */
    public CompletableFuture<Void> add(ConversationEntry entry) {
        return store.putConversation(entry).thenRun(() -> {
            synchronized (this) {
                if (!pinned.containsKey(entry.id())) {
                    cache.putIfAbsent(entry.id(), entry);
                }
            }
        });
    }

    public Optional<ConversationEntry> find(String conversationId) {
        long pinsBefore;
        synchronized (this) {
            ConversationEntry known = newest(conversationId);
            if (known != null) {
                return Optional.of(known);
            }
            pinsBefore = pins;
        }
        // unknown ones are not cached: another node sharing the store may create them any time
        Optional<ConversationEntry> stored = store.conversation(conversationId);
        if (stored.isEmpty()) {
            return stored;
        }
        synchronized (this) {
            ConversationEntry known = newest(conversationId);
            if (known != null && known.changedAtSequence() >= stored.get().changedAtSequence()) {
                return Optional.of(known);
            }
            if (pins == pinsBefore) {
                cache.put(conversationId, stored.get());
            }
        }
        return stored;
    }

    /** Whether {@code inboxId} is a member of the conversation now. */
    public boolean isMember(String conversationId, String inboxId) {
        return find(conversationId).map(c -> c.isMember(inboxId)).orElse(false);
    }

    /** Whether {@code inboxId} is or was a member of the conversation (it reads up to where it stopped being one). */
    public boolean wasEverMember(String conversationId, String inboxId) {
        return find(conversationId).map(c -> c.wasEverMember(inboxId)).orElse(false);
    }

    /** A group update made {@code next} and its write is pending: readers see {@code next} from now on. */
    public synchronized void pin(ConversationEntry next) {
        pins++;
        Pinned p = pinned.computeIfAbsent(next.id(), id -> new Pinned());
        p.entry = next;
        p.writes++;
        cache.put(next.id(), next);
    }

    /** A pinned update is stored: its entry may be evicted again once no other one of its conversation is pending. */
    public synchronized void unpin(String conversationId) {
        Pinned p = pinned.get(conversationId);
        if (p != null && --p.writes == 0) {
            pinned.remove(conversationId);
        }
    }

    /** A pinned update was not written: forget what is cached of the conversation (the store has the truth). */
    public synchronized void drop(String conversationId) {
        pins++;
        pinned.remove(conversationId);
        cache.remove(conversationId);
    }

    private ConversationEntry newest(String conversationId) {
        Pinned p = pinned.get(conversationId);
        return p != null ? p.entry : cache.get(conversationId);
    }
}
