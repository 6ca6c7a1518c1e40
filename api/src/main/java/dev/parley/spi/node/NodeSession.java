package dev.parley.spi.node;

import dev.parley.AuthenticationException;
import dev.parley.Authenticator;
import dev.parley.ConversationType;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.SessionTicket;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The node's side of one client connection, as a transport endpoint sees it. Every operation but
 * {@link #challenge} and {@link #authenticate} requires a successful authentication first; the node
 * checks access on each one. Operations throw the typed exceptions of {@code dev.parley}.
 */
public interface NodeSession extends AutoCloseable {
    /**
     * A fresh nonce; the client signs {@link Authenticator#challengeMessage(String, byte[], byte[])} of
     * {@link #nodeName()}, its channel binding and this nonce.
     */
    byte[] challenge();

    /** The name of the node this session belongs to: sent with the challenge, covered by the signature. */
    String nodeName();

    /**
     * Binds this session to the inbox of {@code publicKey} once {@code signature} verifies for this
     * node's name, this connection's channel binding and the last nonce; returns the inbox id.
     *
     * @throws dev.parley.AuthenticationException the signature does not verify (another key, node or channel)
     */
    String authenticate(byte[] publicKey, byte[] signature);

    /**
     * A ticket with which the client can authenticate its next connection to this node as this session's
     * inbox without a signature ({@link #resume}); {@code null} when the node issues none (the default).
     * Requires authentication; the node may give a fresh one whenever asked.
     */
    default SessionTicket issueTicket() {
        return null;
    }

    /**
     * Authenticates this session with a ticket instead of a signature: {@code proof} must be
     * {@link SessionTicket#proof} of the ticket's secret, this connection's channel binding, the last
     * challenge's nonce (empty when no challenge was asked for) and {@code clientNonce}. Every limit of a
     * signed session applies. Returns the inbox id.
     *
     * @throws AuthenticationException the ticket is not accepted (forged, expired, of another node, epoch or
     *                                 channel, or the node resumes no sessions); the client authenticates in full
     */
    default String resume(byte[] ticket, byte[] clientNonce, byte[] proof) {
        throw new AuthenticationException("this node does not resume sessions");
    }

    /** The authenticated inbox, or {@code null} before authentication. */
    String inboxId();

    /** The epoch of the node's store (see {@link NodeAccess#epoch()}). */
    String epoch();

    /** What the node lets this session hold; sent to the client after authentication ({@link NodeLimits#subscriptionLimits()}). */
    default NodeLimits limits() {
        return NodeLimits.DEFAULTS;
    }

    /**
     * Appends to a topic; completes once the envelope is durable (a re-sent key completes with the first
     * sequence). Invalid requests and refused access may throw at once instead.
     */
    CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey);

    List<Envelope> query(String topic, long afterSequence, int limit);

    /** {@link #createConversation(ConversationType, List, String, String)} without an idempotency key. */
    default CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds, String name) {
        return createConversation(type, memberInboxIds, name, "");
    }

    /**
     * Creates a conversation of this inbox and {@code memberInboxIds}; completes with its id once it and
     * its welcomes are durable. The same non-empty {@code idempotencyKey} from this inbox completes with
     * the first conversation's id and creates nothing more.
     */
    CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds, String name,
                                                 String idempotencyKey);

    /**
     * Changes a group's members or name as this inbox; completes once the group update (and the
     * welcomes of added members) are durable, with the update's place in the conversation.
     */
    CompletableFuture<PublishResult> updateGroup(GroupChange change);

    /** Opens a subscription; the node sends a heartbeat to {@code listener} every {@code heartbeatInterval}. */
    Subscription subscribe(Map<String, Long> cursors, long initialDemand, Duration heartbeatInterval,
                           SubscriptionListener listener);

    /** False once the session ended, from either side. */
    boolean isOpen();

    /** Registers what to do when the node ends this session (operator drop, shutdown); runs at once if it already has. */
    void onTerminated(Consumer<Throwable> handler);


    /** Ends the session and its subscriptions; idempotent. */
    @Override
    void close();
}
