package dev.parley.core.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The conversations a store knows, by id; what every store keeps in memory. Not thread-safe. */
public final class Conversations {
    private final Map<String, ConversationRecord> byId = new LinkedHashMap<>();

    /**
     * Adds a conversation, or replaces the known one when {@code conversation} is of a later state
     * ({@link ConversationRecord#isOlderThan}); false when nothing changed.
     */
    public boolean put(ConversationRecord conversation) {
        ConversationRecord known = byId.get(conversation.id());
        if (known != null && !known.isOlderThan(conversation)) {
            return false;
        }
        byId.put(conversation.id(), conversation);
        return true;
    }

    public Optional<ConversationRecord> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** All of them, oldest first. */
    public List<ConversationRecord> all() {
        List<ConversationRecord> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(ConversationRecord::createdAtNs));
        return all;
    }

    public int size() {
        return byId.size();
    }

    public void clear() {
        byId.clear();
    }
}
