package dev.parley.spi;

import dev.parley.ConversationType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client's authenticated connection to a node: the operations of the wire model, asynchronous.
 * A transport re-establishes its connection (and re-authenticates) on the next operation after a
 * drop; it never retries an operation, filters, stores or decodes: that is the core's job.
 * Futures fail with the typed exceptions of {@code dev.parley}.
 */
public interface Transport extends AutoCloseable {
    /**
     * Appends to a topic; a re-sent idempotency key returns the first sequence instead of a second envelope.
     * The transport may read {@code payload} until the future completes, without copying it: the caller does
     * not change the array meanwhile.
     */
    CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey);

    /** Up to {@code limit} envelopes with sequence greater than {@code afterSequence}, in order. */
    CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit);

    /** {@link #createConversation(ConversationType, List, String, String)} without an idempotency key. */
    default CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds, String name) {
        return createConversation(type, memberInboxIds, name, "");
    }

    /**
     * Creates a conversation of the caller and {@code memberInboxIds}; the node welcomes every member.
     * The same {@code idempotencyKey} (1 to 128 characters) from the same inbox gives back the first
     * conversation instead of a second, so a request re-sent after a lost answer (to this node or to
     * another of its cluster) creates one conversation; empty: every call creates one.
     */
    CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds, String name,
                                                 String idempotencyKey);

    /**
     * Changes a group's members or name; completes with where the node wrote the group update
     * (fails with {@link dev.parley.PermissionDeniedException} when the caller may not make it).
     */
    CompletableFuture<PublishResult> updateGroup(GroupChange change);

    /**
     * Opens a subscription: per topic, replay after the cursor, then live. Completes once the node accepted
     * it; envelopes may reach the listener from then on, at most {@code initialDemand} until more is requested.
     */
    CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                              SubscriptionListener listener);

    /**
     * What the node lets this connection subscribe to, as it advertised when the connection
     * authenticated (the last connection's while there is none; {@link SubscriptionLimits#DEFAULTS}
     * for a node that advertises nothing). A transport that wraps another passes this on.
     */
    default SubscriptionLimits subscriptionLimits() {
        return SubscriptionLimits.DEFAULTS;
    }

    /**
     * True when this transport times out its own requests, so that callers need no timer of their own:
     * every future that {@link #publish}, {@link #query}, {@link #createConversation}, {@link #updateGroup}
     * and {@link #subscribe} return completes no later than {@link TransportConfig#requestTimeout()} after
     * the call (plus the transport's timer granularity, at most an eighth of that timeout or one second,
     * whichever is less), failing with a retryable {@link dev.parley.TransportException} when the node has
     * not answered by then, and never fails for want of an answer sooner. The bound covers everything the
     * transport does for the call: waiting for a connection, a publish waiting to be batched, a second try.
     * The answer is the same for the transport's whole life. A transport that wraps others answers for
     * what it does itself too (it passes the answer on, or keeps the bound with timers of its own).
     * By default false: the caller bounds each request itself (the core does, with one timer per request).
     * TCK rule 1.07 checks a transport that says true.
     */
    default boolean timesOutRequests() {
        return false;
    }

    /** Closes the connection and every subscription on it; idempotent. */
    @Override
    void close();
}
