package dev.parley.node.internal.access;

import dev.parley.PermissionDeniedException;
import dev.parley.internal.Topics;

/**
 * Who may read and write which topic: {@code welcome/X} and {@code prefs/X} belong to inbox X,
 * {@code conv/ID} to the members of ID; welcomes are written by the node alone.
 * Malformed topics fail with {@link dev.parley.ProtocolException}.
 */
public final class AccessPolicy {
    private final ConversationDirectory conversations;

    public AccessPolicy(ConversationDirectory conversations) {
        this.conversations = conversations;
    }

    public void checkRead(String inboxId, String topic) {
        String kind = Topics.kind(topic);
        String subject = Topics.subject(topic);
        boolean allowed = kind.equals(Topics.CONVERSATION)
                ? conversations.isMember(subject, inboxId)
                : subject.equals(inboxId);
        if (!allowed) {
            throw new PermissionDeniedException("inbox " + shorten(inboxId) + " may not read " + topic);
        }
    }

    public void checkWrite(String inboxId, String topic) {
        String kind = Topics.kind(topic);
        String subject = Topics.subject(topic);
        boolean allowed = switch (kind) {
            case Topics.CONVERSATION -> conversations.isMember(subject, inboxId);
            case Topics.PREFERENCES -> subject.equals(inboxId);
            default -> false;
        };
        if (!allowed) {
            throw new PermissionDeniedException("inbox " + shorten(inboxId) + " may not write " + topic);
        }
    }

    private static String shorten(String inboxId) {
        return inboxId.length() > 12 ? inboxId.substring(0, 12) + "…" : inboxId;
    }
}
