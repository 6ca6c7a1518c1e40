package dev.parley.node.internal.store;

import dev.parley.PermissionDeniedException;
import dev.parley.node.internal.access.InboxIds;

/** The stores' refusal of a write to a conversation by an inbox that is not (or no longer) a member. */
public final class Membership {
    private Membership() {
    }

    public static PermissionDeniedException notAMember(String inboxId, String conversationId) {
        return new PermissionDeniedException("inbox " + InboxIds.shorten(inboxId) + " is not a member of conversation "
                + conversationId);
    }
}
