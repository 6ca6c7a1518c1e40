package dev.parley.node.store;

import dev.parley.ConversationType;

import java.util.List;
import java.util.Set;

/** A conversation as the node knows it: who may read and write its topic. */
public record ConversationEntry(String id, ConversationType type, Set<String> members, String creatorInboxId,
                                long createdAtNs, String name) {
    public ConversationEntry {
        members = Set.copyOf(members);
    }

    public boolean isMember(String inboxId) {
        return members.contains(inboxId);
    }

    public List<String> sortedMembers() {
        return members.stream().sorted().toList();
    }
}
