package dev.parley.core.store;

import dev.parley.ConsentRecord;
import dev.parley.DecodedMessage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's local state: conversations, consent decisions, messages and, per topic, the
 * cursor up to which everything has been processed. Every write is idempotent, so sync and
 * streams may deliver the same envelope twice. Implementations are thread-safe.
 */
public interface MessageStore extends AutoCloseable {
    /**
     * Stores a conversation, or replaces the stored one when this is of a later state (a group update
     * of a higher sequence, a welcome back after a removal); false when nothing changed.
     */
    boolean putConversation(ConversationRecord conversation);

    Optional<ConversationRecord> conversation(String id);

    /** All conversations, oldest first. */
    List<ConversationRecord> conversations();

    /** Keeps the decision unless a later one ({@code updatedAtNs}) is stored already. */
    void putConsent(ConsentRecord consent);

    /** The latest explicit decision about a conversation, if any. */
    Optional<ConsentRecord> consent(String conversationId);

    /** Stores a message at its sequence in the conversation; false when it was stored already. */
    boolean putMessage(DecodedMessage message, long sequence);

    /**
     * Messages of a conversation in order: those of earlier node histories first, then by
     * sequence. A store may keep only the latest ones (the in-memory store's cap).
     */
    List<DecodedMessage> messages(String conversationId);

    /** Highest sequence of {@code topic} up to which everything was processed; 0 when none. */
    long cursor(String topic);

    /** Raises the cursor of {@code topic} to {@code sequence} (never lowers it). */
    void advanceCursor(String topic, long sequence);

    /** Per topic, how far the durable stream {@code stream} has handled; empty when it never ran. */
    Map<String, Long> durableCursors(String stream);

    /** Raises the durable cursor of {@code stream} for {@code topic} to {@code sequence} (never lowers it). */
    void advanceDurableCursor(String stream, String topic, long sequence);

    /**
     * Runs {@code writes} as one transaction of the node history the store follows now (see
     * {@link #inTransaction(String, Runnable)}).
     */
    default void inTransaction(Runnable writes) {
        inTransaction(followedEpoch(), writes);
    }

    /**
     * Runs {@code writes} as one transaction: a database commits once, at the end (a delivered run,
     * a sync page). A call inside another joins it. The writes belong to the node history
     * {@code epoch}: when the store follows another one as the transaction starts, or adopts a new
     * one before it commits, its writes are dropped (the history they belong to is forgotten).
     */
    void inTransaction(String epoch, Runnable writes);

    /** True when what is stored outlives the process (what durable streams need). */
    default boolean persistent() {
        return false;
    }

    /**
     * The epoch (history id) of the node that this store's cursors and sequences refer to; empty
     * until one is adopted.
     */
    Optional<String> nodeEpoch();

    /** {@link #nodeEpoch()}, or {@code ""} before one is adopted: the history that writes belong to now. */
    default String followedEpoch() {
        return nodeEpoch().orElse("");
    }

    /**
     * Adopts the node history {@code epoch}. When another epoch was stored, the store forgets that
     * history: its conversations, their messages and every sync and durable stream cursor (the node
     * no longer has any of them, and the new history's sequences start again at 1); consent
     * decisions, which are the user's, are kept.
     *
     * @return true when the old history was dropped (the epoch changed), false when {@code epoch}
     * was current already or the store had none
     */
    boolean adoptEpoch(String epoch);

    @Override
    void close();
}
