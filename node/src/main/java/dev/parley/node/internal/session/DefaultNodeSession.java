package dev.parley.node.internal.session;

import dev.parley.spi.GroupChange;
import dev.parley.AuthenticationException;
import dev.parley.Authenticator;
import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.LimitExceededException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.node.internal.metrics.NodeMetrics;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.SessionTicket;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One client connection as the node sees it: challenge, authentication, then operations as that inbox. */
public final class DefaultNodeSession implements NodeSession {
    private static final Logger log = LoggerFactory.getLogger(DefaultNodeSession.class);
    private static final int NONCE_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NodeOperations operations;
    private final String nodeName;
    private final byte[] channelBinding;
    private final String remoteAddress;
    private final Consumer<DefaultNodeSession> onClose;
    private final NodeMetrics.TransportMeters meters;
    private final Set<NodeSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    /** Subscriptions taken and not yet ended (counted from before each opens to its end, whatever ends it). */
    private final AtomicInteger openSubscriptions = new AtomicInteger();
    private volatile InboxAccounts.Account account; // the authenticated inbox's, shared with its other sessions
    private volatile Throwable terminatedBy;
    private byte[] nonce;
    private byte[] publicKey;      // guarded by this; set with account
    private long signedAtNanos;    // guarded by this: when this session's chain was last authenticated by a signature
    private Consumer<Throwable> terminationHandler = t -> { };

    /**
     * @param nodeName       the node's name, which the client's signature must cover
     * @param channelBinding this connection's channel binding as the node sees it (empty without TLS),
     *                       which the client's signature must cover
     * @param meters         the meters of the transport this connection came over
     */
    public DefaultNodeSession(NodeOperations operations, String nodeName, byte[] channelBinding, String remoteAddress,
                              NodeMetrics.TransportMeters meters, Consumer<DefaultNodeSession> onClose) {
        this.operations = operations;
        this.meters = meters;
        this.nodeName = nodeName;
        this.channelBinding = channelBinding.clone();
        this.remoteAddress = remoteAddress;
        this.onClose = onClose;
        meters.opened();
    }

    @Override
    public NodeLimits limits() {
        return operations.limits();
    }

    /** @throws ProtocolException once authenticated: a session authenticates once, as one inbox */
    @Override
    public synchronized byte[] challenge() {
        ensureOpen();
        refuseIfAuthenticated();
        nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce.clone();
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    /**
     * Verifies the signature for this node's own name and this connection's own channel binding: a
     * signature the client made for another node (a relay passing on that node's challenge) or over
     * another TLS connection (a relay terminating TLS with its own certificate) does not verify.
     */
    @Override
    public String authenticate(byte[] publicKey, byte[] signature) {
        try {
            String inbox = authenticateNow(publicKey, signature);
            meters.authenticated();
            return inbox;
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
    }

    private String authenticateNow(byte[] publicKey, byte[] signature) {
        byte[] expected = takeChallenge();
        if (expected == null) {
            throw new AuthenticationException("no challenge outstanding: ask for a challenge first");
        }
        if (!Identity.verify(publicKey, Authenticator.challengeMessage(nodeName, channelBinding, expected), signature)) {
            log.info("authentication failed from {}", remoteAddress);
            throw new AuthenticationException("signature does not match the public key, this node ('" + nodeName
                    + "') and this connection" + (channelBinding.length == 0 ? "" : " (TLS channel binding)"));
        }
        return bind(publicKey, operations.tickets().now());
    }

    /**
     * Accepts a ticket this node process issued for this epoch and channel binding, with the proof of its
     * secret over this connection's binding, the outstanding challenge's nonce and the client's nonce. Over
     * TLS a challenge must be outstanding (the client proves possession for this very connection); without
     * TLS the client may resume in its first frame.
     */
    @Override
    public String resume(byte[] ticket, byte[] clientNonce, byte[] proof) {
        try {
            byte[] challengeNonce = takeChallenge();
            if (challengeNonce == null && channelBinding.length > 0) {
                throw new AuthenticationException("over TLS a resumption answers a challenge: ask for one first");
            }
            ResumptionTickets.Resumed resumed = operations.tickets().verify(nodeName, epoch(), channelBinding, ticket,
                    challengeNonce == null ? new byte[0] : challengeNonce, clientNonce, proof);
            String inbox = bind(resumed.publicKey(), resumed.signedAtNanos());
            meters.authenticated();
            return inbox;
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
    }

    @Override
    public synchronized SessionTicket issueTicket() {
        if (account == null) {
            throw new ProtocolException("a ticket is issued to an authenticated session only");
        }
        return operations.tickets().issue(nodeName, epoch(), channelBinding, publicKey, signedAtNanos);
    }

    /** The outstanding challenge's nonce, now used up, or {@code null}. */
    private synchronized byte[] takeChallenge() {
        ensureOpen();
        refuseIfAuthenticated();
        byte[] taken = nonce;
        nonce = null; // single use
        return taken;
    }

    /** Binds this session to the inbox of {@code publicKey}, counted against its sessions. */
    private String bind(byte[] publicKey, long signedAt) {
        String inbox = Identity.inboxIdOf(publicKey);
        synchronized (this) {
            ensureOpen(); // a session that ended meanwhile is not counted: its end already ran
            refuseIfAuthenticated();
            InboxAccounts.Account started = operations.sessionStarted(inbox); // throws at the inbox's limit of sessions
            this.publicKey = publicKey.clone();
            this.signedAtNanos = signedAt;
            account = started;
        }
        return inbox;
    }

    /**
     * A second authentication would switch the session to another inbox under its live
     * subscriptions: refused (the frame fails, the session stays as it is).
     */
    private void refuseIfAuthenticated() {
        if (account != null) {
            throw new ProtocolException("this session is already authenticated; a session authenticates once");
        }
    }

    @Override
    public String inboxId() {
        InboxAccounts.Account inbox = account;
        return inbox == null ? null : inbox.inboxId();
    }

    @Override
    public String epoch() {
        return operations.epoch();
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        CompletableFuture<PublishResult> result;
        try {
            result = operations.publish(authenticatedAccount(), topic, payload, idempotencyKey);
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
        meters.published();
        return result;
    }

    @Override
    public List<Envelope> query(String topic, long afterSequence, int limit) {
        try {
            return operations.query(authenticated(), topic, afterSequence, limit);
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds, String name,
                                                        String idempotencyKey) {
        try {
            return operations.createConversation(authenticated(), type, memberInboxIds, name, idempotencyKey);
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        try {
            return operations.updateGroup(authenticated(), change);
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
    }

    @Override
    public Subscription subscribe(Map<String, Long> cursors, long initialDemand, Duration heartbeatInterval,
                                  SubscriptionListener listener) {
        try {
            return subscribeNow(cursors, initialDemand, heartbeatInterval, listener);
        } catch (RuntimeException e) {
            throw operations.refused(e);
        }
    }

    private Subscription subscribeNow(Map<String, Long> cursors, long initialDemand, Duration heartbeatInterval,
                                      SubscriptionListener listener) {
        String inbox = authenticated();
        int max = operations.limits().maxSubscriptionsPerSession();
        if (openSubscriptions.incrementAndGet() > max) {
            openSubscriptions.decrementAndGet();
            throw new LimitExceededException(LimitExceededException.SUBSCRIPTIONS_PER_SESSION, "this session has "
                    + max + " subscriptions open, its limit (maxSubscriptionsPerSession); cancel one first", false);
        }
        NodeSubscription[] self = new NodeSubscription[1];
        NodeSubscription subscription;
        try {
            subscription = operations.subscribe(inbox, cursors, initialDemand, heartbeatInterval, listener, () -> {
                if (self[0] != null) { // null: it ended while opening (a failed first read), never added below
                    subscriptions.remove(self[0]);
                }
                openSubscriptions.decrementAndGet();
            });
        } catch (RuntimeException e) { // refused: nothing registered, its end never runs
            openSubscriptions.decrementAndGet();
            throw e;
        }
        self[0] = subscription;
        subscriptions.add(subscription);
        if (subscription.isTerminated()) {
            subscriptions.remove(subscription);
        }
        Throwable terminated = terminatedBy;
        if (terminated != null) {
            subscription.fail(terminated);
        }
        return subscription;
    }

    @Override
    public void onTerminated(Consumer<Throwable> handler) {
        Throwable already;
        synchronized (this) {
            this.terminationHandler = handler;
            already = terminatedBy;
        }
        if (already != null) {
            handler.accept(already);
        }
    }

    /**
     * Ends the session from the node side: the handler runs first (a network endpoint tells the
     * client why and closes the link, so the client learns it once, for everything on that
     * connection), then every subscription fails with {@code cause}.
     */
    public void terminate(Throwable cause) {
        Consumer<Throwable> handler;
        synchronized (this) {
            if (terminatedBy != null) {
                return;
            }
            terminatedBy = cause;
            handler = terminationHandler;
        }
        try {
            handler.accept(cause);
        } finally {
            subscriptions.forEach(s -> s.fail(cause));
            ended();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (terminatedBy != null) {
                return;
            }
            terminatedBy = new TransportException("session closed", true);
        }
        subscriptions.forEach(NodeSubscription::cancel);
        ended();
    }

    /** Runs once, after {@code terminatedBy} was set: the inbox's session count drops, the node forgets the session. */
    private void ended() {
        InboxAccounts.Account inbox = account; // final once terminatedBy is set: authenticate checks it under the same lock
        if (inbox != null) {
            operations.sessionEnded(inbox);
        }
        meters.closed();
        onClose.accept(this);
    }

    @Override
    public boolean isOpen() {
        return terminatedBy == null;
    }

    private void ensureOpen() {
        Throwable terminated = terminatedBy;
        if (terminated != null) {
            throw new TransportException("connection closed: " + terminated.getMessage(), true, terminated);
        }
    }

    private String authenticated() {
        return authenticatedAccount().inboxId();
    }

    private InboxAccounts.Account authenticatedAccount() {
        ensureOpen();
        InboxAccounts.Account inbox = account;
        if (inbox == null) {
            throw new AuthenticationException("not authenticated");
        }
        return inbox;
    }
}
