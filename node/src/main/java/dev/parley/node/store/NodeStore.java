package dev.parley.node.store;

import dev.parley.spi.Envelope;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where a node keeps everything it knows: the log of every topic (with the idempotency keys of its
 * entries), the conversation directory, and the epoch that names this history. Shaped for a store
 * several nodes may share: the store assigns sequences and timestamps, reads go by topic and cursor,
 * and {@link #onAppended} is the wake-up hint. Thread-safe.
 */
public interface NodeStore extends AutoCloseable {
    /**
     * The id of this store's history. A new, empty store has a new epoch; clients that held cursors
     * of another epoch drop them (the node's history they point into is gone).
     */
    String epoch();

    /**
     * Appends to {@code topic}'s log: the next sequence (dense per topic, from 1) and a timestamp are
     * assigned in call order (at once, or when a group commit takes the entry up). A key already stored on the topic gives back its original
     * entry ({@code isNew} false) and stores nothing. The future completes once the entry is durable;
     * only then can {@link #read} return it and {@link #onAppended} report it. It fails with a
     * {@link StoreException} when the entry could not be stored (and then never will be). It checks no
     * membership: the node writes conversations' topics with {@link #appendToConversation} and
     * {@link #changeConversation}.
     */
    CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey, String senderInboxId);

    /**
     * Appends to the log of conversation {@code conversationId} ({@code conv/<id>}) like {@link #append},
     * if {@code senderInboxId} is a member at the moment the sequence is assigned: that check and the
     * assignment are atomic with every {@link #changeConversation} of the conversation, so a send
     * racing a removal lands before the removal or is refused. A key already stored gives back its
     * original entry, whatever the sender's membership now. The future fails with a
     * {@link dev.parley.PermissionDeniedException} when the sender is not a member (or the
     * conversation is unknown), with a {@link StoreException} like {@link #append}.
     */
    CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String idempotencyKey,
                                                     String senderInboxId);

    /**
     * Changes conversation {@code conversationId} with an entry of its log: assigns the next sequence,
     * calls {@link ConversationChange#apply} with the conversation as it is then, and stores the new
     * conversation, the entry (under {@code idempotencyKey}, sent by {@code senderInboxId}) and the
     * side entries in one atomic step, serialized with every append to the conversation (a shared
     * store does it in one transaction holding the conversation's row). A key already stored on the
     * conversation's topic gives back its original entry ({@code isNew} false) without calling
     * {@code apply}. Completes once everything is durable: with the entry, or empty when the change
     * changed nothing (nothing stored). Fails with what {@code apply} threw, with a
     * {@link dev.parley.PermissionDeniedException} for an unknown conversation, or with a
     * {@link StoreException}.
     */
    CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                             String idempotencyKey, String senderInboxId);

    /** Up to {@code limit} retained, durable entries of {@code topic} after {@code afterSequence}, in order. */
    List<Envelope> read(String topic, long afterSequence, int limit);

    /** The highest durable sequence of {@code topic}; 0 when it has none. Trimming never lowers it. */
    long lastSequence(String topic);

    /** The lowest sequence of {@code topic} still retained; {@code lastSequence + 1} when none is. */
    long firstRetained(String topic);

    /**
     * Payload bytes of the retained entries {@code senderInboxId} appended, over every topic: raised
     * by each new entry no later than its append completes, lowered by {@link #trim}, the same after
     * a reopen. 0 for a sender with none. The node's quota of bytes stored per inbox reads it on
     * every publish, so it must be cheap (kept in memory, not counted per call).
     */
    long storedBytes(String senderInboxId);

    /**
     * Removes, in every topic, the entries older than the retention's age and those beyond its count
     * (the newest are kept), with their idempotency keys. Sequences go on where they were.
     *
     * @return how many entries were removed
     */
    long trim(Retention retention);

    /** Stores a new conversation (its members read from sequence 1); completes once it is durable. */
    CompletableFuture<Void> putConversation(ConversationEntry conversation);

    Optional<ConversationEntry> conversation(String id);

    /**
     * Calls {@code listener} with (topic, sequence) after each new entry became durable, from
     * whichever thread made it so; it must only hand work on. Replaces any previous listener.
     */
    void onAppended(BiConsumer<String, Long> listener);

    /**
     * {@link #onAppended(BiConsumer)} with the sequence unboxed: a store that reports from its appending
     * thread (in memory) then allocates nothing per entry for it. Replaces any previous listener of either kind.
     */
    default void onAppendedSequence(AppendListener listener) {
        onAppended(listener::appended);
    }

    /**
     * {@link #append} answered at once by a store that can (in memory): the entry, or null when this
     * store answers only through {@link #append} (the default), which the caller then calls. It throws
     * what the future of {@link #append} would fail with; no future is made per append.
     */
    default Appended appendNow(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        return null;
    }

    /** {@link #appendToConversation} answered at once, as {@link #appendNow} is {@link #append}. */
    default Appended appendToConversationNow(String conversationId, byte[] payload, String idempotencyKey,
                                             String senderInboxId) {
        return null;
    }

    /**
     * Checks, cheaply, that the store answers (the node calls it every second for its health checks,
     * on a thread of its own): returns when it does, throws a {@link StoreException} when it does not. The default does
     * nothing, for stores that cannot fail to answer (in memory).
     */
    default void probe() {
    }

    /**
     * Calls {@code listener} with a conversation's id after another node sharing this store changed it
     * (a group update committed there), from whichever thread learnt of it; the node then drops what it
     * cached of the conversation. A store no other node writes never calls it (the default). Replaces
     * any previous listener.
     */
    default void onConversationChanged(Consumer<String> listener) {
    }

    /** Flushes what is pending and releases the store; idempotent. */
    @Override
    void close();
}
