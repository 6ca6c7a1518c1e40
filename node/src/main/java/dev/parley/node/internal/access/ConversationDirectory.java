package dev.parley.node.internal.access;

import dev.parley.ConversationType;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Which conversations exist on this node and who their members are. */
public final class ConversationDirectory {
    /** A conversation as the node knows it. */
    public record Entry(String id, ConversationType type, Set<String> members, String creatorInboxId,
                        long createdAtNs, String name) {
        public Entry {
            members = Set.copyOf(members);
        }

        public List<String> sortedMembers() {
            return members.stream().sorted().toList();
        }
    }

    private final ConcurrentMap<String, Entry> conversations = new ConcurrentHashMap<>();

    public void add(Entry entry) {
        if (conversations.putIfAbsent(entry.id(), entry) != null) {
            throw new IllegalStateException("conversation id collision " + entry.id());
        }
    }

    public Optional<Entry> find(String conversationId) {
        return Optional.ofNullable(conversations.get(conversationId));
    }

    public boolean isMember(String conversationId, String inboxId) {
        Entry entry = conversations.get(conversationId);
        return entry != null && entry.members().contains(inboxId);
    }
}
