package dev.parley.node.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a conversation's directory entry that is itself an entry of the conversation's log
 * (a group update), decided by the node at the moment the store assigns its sequence: see
 * {@link NodeStore#changeConversation}. The store serializes it with every other append to and change
 * of the conversation, so {@code current} is exact.
 */
public interface ConversationChange {
    /**
     * Decides the change against the conversation as it is when {@code sequence} is assigned. Called at
     * most once per store call, from whichever thread assigns sequences; it must not block.
     *
     * @return what to write at {@code sequence}, or empty when the change changes nothing (nothing is
     *         written and {@code sequence} stays free)
     * @throws RuntimeException to refuse the change (nothing is written; the store's future fails with it)
     */
    Optional<Outcome> apply(ConversationEntry current, long sequence);

    /**
     * Called once after {@link #apply} returned an outcome, when the store knows its fate: {@code true}
     * once it is stored (or at least committed), {@code false} when it was not written after all; then
     * before the store assigns any later sequence of the conversation (which may reuse this one).
     */
    default void settled(boolean written) {
    }

    /**
     * What a change writes, all atomically: the conversation's new entry, the log entry at the
     * assigned sequence, and entries of other topics (the welcomes of added members).
     *
     * @param next      the conversation after the change
     * @param payload   the payload of the log entry at the assigned sequence
     * @param alongside entries appended to other topics with it
     */
    record Outcome(ConversationEntry next, byte[] payload, List<SideEntry> alongside) {
        public Outcome {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(payload, "payload");
            alongside = List.copyOf(alongside);
        }
    }

    /** An entry of another topic written with a change; idempotent by its key like any append. */
    record SideEntry(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
    }
}
