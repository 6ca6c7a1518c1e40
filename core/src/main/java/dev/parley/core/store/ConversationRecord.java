package dev.parley.core.store;

import dev.parley.ConversationType;

import java.util.List;

/**
 * A conversation as stored locally: from its welcome, then as its group updates changed it.
 *
 * @param adminInboxIds  the admins, sorted (the creator until a group update says otherwise)
 * @param active         false once this inbox left the conversation or was removed from it
 * @param stateSequence  the sequence in the conversation of the group update this state comes from
 *                       (0: its creation); a record never gives way to one of a lower state
 */
public record ConversationRecord(String id, ConversationType type, List<String> memberInboxIds,
                                 String creatorInboxId, long createdAtNs, String name, List<String> adminInboxIds,
                                 boolean active, long stateSequence) {
    public ConversationRecord {
        memberInboxIds = shared(memberInboxIds);
        adminInboxIds = shared(adminInboxIds);
        creatorInboxId = creatorInboxId.intern();
    }

    /** A conversation as created: its creator is its admin, this inbox a member. */
    public ConversationRecord(String id, ConversationType type, List<String> memberInboxIds, String creatorInboxId,
                              long createdAtNs, String name) {
        this(id, type, memberInboxIds, creatorInboxId, createdAtNs, name, List.of(creatorInboxId), true, 0);
    }

    /** This conversation as a group update at {@code sequence} left it, for {@code inboxId}. */
    public ConversationRecord updated(long sequence, List<String> members, List<String> admins, String newName,
                                      String inboxId) {
        return new ConversationRecord(id, type, members, creatorInboxId, createdAtNs, newName == null ? name : newName,
                admins, members.contains(inboxId), sequence);
    }

    /**
     * An unmodifiable copy holding the JVM's one instance of each inbox id ({@link String#intern()}): the
     * clients of one JVM that share large groups then hold each member's id once between them, not once
     * each (1,000 clients in one group of 1,000 would otherwise hold a million copies).
     */
    private static List<String> shared(List<String> inboxIds) {
        return inboxIds.stream().map(String::intern).toList();
    }

    /** True when {@code other} (of the same conversation) comes from a later state than this one. */
    public boolean isOlderThan(ConversationRecord other) {
        return other.stateSequence > stateSequence;
    }
}
