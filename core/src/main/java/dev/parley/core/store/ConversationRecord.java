package dev.parley.core.store;

import dev.parley.ConversationType;

import java.util.List;

/** A conversation as stored locally, from its welcome. */
public record ConversationRecord(String id, ConversationType type, List<String> memberInboxIds,
                                 String creatorInboxId, long createdAtNs, String name) {
    public ConversationRecord {
        memberInboxIds = List.copyOf(memberInboxIds);
    }
}
