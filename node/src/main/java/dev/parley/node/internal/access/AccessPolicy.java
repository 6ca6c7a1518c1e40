package dev.parley.node.internal.access;

import dev.parley.PermissionDeniedException;
import dev.parley.internal.Topics;
import dev.parley.node.store.MemberSpan;

import java.util.Optional;

/**
 * Who may read and write which topic: {@code welcome/X} and {@code prefs/X} belong to inbox X,
 * {@code conv/ID} to the members of ID, by sequence: an inbox reads the part of the log it was a member
 * for ({@link #readableAfter}); welcomes are written by the node alone. The checks here are the
 * fast, early refusals: whether a write to a conversation comes from a member now is decided by the
 * store, atomically with the entry's sequence ({@link dev.parley.node.store.NodeStore#appendToConversation}).
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
                ? conversations.wasEverMember(subject, inboxId)
                : subject.equals(inboxId);
        if (!allowed) {
            throw new PermissionDeniedException("inbox " + InboxIds.shorten(inboxId) + " may not read " + topic);
        }
    }

    /** Whether {@code inboxId} may write {@code topic}, parsed by the caller into its {@code kind} and {@code subject}. */
    public void checkWrite(String inboxId, String kind, String subject, String topic) {
        boolean allowed = switch (kind) {
            case Topics.CONVERSATION -> conversations.wasEverMember(subject, inboxId);
            case Topics.PREFERENCES -> subject.equals(inboxId);
            default -> false;
        };
        if (!allowed) {
            throw new PermissionDeniedException("inbox " + InboxIds.shorten(inboxId) + " may not write " + topic);
        }
    }

    /**
     * What {@code inboxId} may read of {@code topic} (which {@link #checkRead} allowed) after
     * {@code cursor}: the next range of sequences, empty when there is none now and (for a conversation
     * it left, until it is added again) ever. Topics other than conversations are read whole.
     */
    public Optional<MemberSpan> readableAfter(String inboxId, String topic, long cursor) {
        if (!Topics.kind(topic).equals(Topics.CONVERSATION)) {
            return Optional.of(new MemberSpan(Math.max(1, cursor + 1), MemberSpan.OPEN));
        }
        return conversations.find(Topics.subject(topic)).flatMap(c -> c.visibleAfter(inboxId, cursor));
    }
}
