package dev.parley.node.internal.group;

import dev.parley.ConversationType;
import dev.parley.internal.Topics;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.Welcome;

/** The welcomes the node writes to {@code welcome/<inbox>}: at a conversation's creation, and for each member added later. */
public final class WelcomeMessages {
    /** The sender of what the node writes itself. */
    public static final String SENDER = "node";

    private WelcomeMessages() {
    }

    /**
     * The welcome of {@code conversation} as it is (members, admins, name) to a member that reads it
     * from {@code joinedAtSequence} on (0: from its creation).
     */
    public static byte[] of(ConversationEntry conversation, long joinedAtSequence) {
        return Welcome.newBuilder()
                .setConversationId(conversation.id())
                .setKind(conversation.type() == ConversationType.DM ? ConversationKind.CONVERSATION_KIND_DM
                        : ConversationKind.CONVERSATION_KIND_GROUP)
                .addAllMemberInboxIds(conversation.sortedMembers())
                .addAllAdminInboxIds(conversation.sortedAdmins())
                .setCreatorInboxId(conversation.creatorInboxId())
                .setCreatedAtNs(conversation.createdAtNs())
                .setName(conversation.name())
                .setJoinedAtSequence(joinedAtSequence)
                .build().toByteArray();
    }

    /** The idempotency key of the welcomes of a conversation's creation. */
    public static String creationKey(String conversationId) {
        return "welcome:" + conversationId;
    }

    /** The welcome of {@code inboxId}, added to {@code conversation} by the group update at {@code sequence}. */
    static ConversationChange.SideEntry added(ConversationEntry conversation, String inboxId, long sequence) {
        return new ConversationChange.SideEntry(Topics.welcome(inboxId), of(conversation, sequence),
                creationKey(conversation.id()) + ":" + sequence, SENDER);
    }
}
