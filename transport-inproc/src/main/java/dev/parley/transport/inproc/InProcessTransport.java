package dev.parley.transport.inproc;

import dev.parley.spi.GroupChange;
import dev.parley.AuthenticationException;
import dev.parley.Authenticator;
import dev.parley.ConversationType;
import dev.parley.TransportException;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.SessionTicket;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.node.NodeSession;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A client connection that calls a node session directly. Like a network transport, it opens a
 * new, authenticated session on the next operation after the node dropped the current one.
 */
final class InProcessTransport implements Transport {
    private static final byte[] NO_BYTES = new byte[0];
    private final String nodeName;
    private final TransportConfig config;
    // written under this lock; volatile so that an operation finds an open session without taking it
    private volatile NodeSession session;
    private boolean closed;       // guarded by this
    private volatile SessionTicket ticket;  // written under this lock: the last session's, to resume the next one
    private volatile long ticketRefreshAt;  // written under this lock
    private volatile SubscriptionLimits limits = SubscriptionLimits.DEFAULTS; // the last session's

    InProcessTransport(String nodeName, TransportConfig config) {
        this.nodeName = nodeName;
        this.config = config;
    }

    /** Opens and authenticates a session now, throwing what fails. */
    void connect() {
        currentSession();
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        // the node keeps what it appends: a copy, so a caller reusing its array cannot rewrite the log
        byte[] copy = payload == null ? null : payload.clone();
        try { // not through callAsync: that is a capturing lambda on every publish
            return currentSession().publish(topic, copy, idempotencyKey);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
        return call(s -> s.query(topic, afterSequence, limit));
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                        String name, String idempotencyKey) {
        return callAsync(s -> s.createConversation(type, memberInboxIds, name, idempotencyKey));
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        return callAsync(s -> s.updateGroup(change));
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                     SubscriptionListener listener) {
        return call(s -> s.subscribe(cursors, initialDemand, config.heartbeatInterval(), listener));
    }

    @Override
    public SubscriptionLimits subscriptionLimits() {
        return limits;
    }

    @Override
    public void close() {
        NodeSession toClose;
        synchronized (this) {
            closed = true;
            toClose = session;
            session = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private <T> CompletableFuture<T> callAsync(Function<NodeSession, CompletableFuture<T>> operation) {
        try {
            return operation.apply(currentSession());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> CompletableFuture<T> call(Function<NodeSession, T> operation) {
        try {
            return CompletableFuture.completedFuture(operation.apply(currentSession()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private NodeSession currentSession() {
        NodeSession current = session;
        if (current != null && current.isOpen() && (ticket == null || System.nanoTime() - ticketRefreshAt < 0)) {
            return current;
        }
        return renewedSession();
    }

    /** The session, opened anew when the node dropped the last one, its ticket renewed when due. */
    private synchronized NodeSession renewedSession() {
        if (closed) {
            throw new TransportException("transport closed", false);
        }
        if (session == null || !session.isOpen()) {
            NodeSession fresh = InProcessNodes.find(nodeName).openSession("inproc");
            try {
                authenticate(fresh);
                config.epochCheck().check(fresh.epoch());
                ticket = fresh.issueTicket();
                ticketRefreshAt = refreshTime(ticket);
            } catch (RuntimeException e) {
                fresh.close();
                throw e;
            }
            session = fresh;
            limits = fresh.limits().subscriptionLimits();
        } else if (ticket != null && System.nanoTime() - ticketRefreshAt >= 0) {
            ticket = session.issueTicket(); // renewed while used, so a drop finds one still valid
            ticketRefreshAt = refreshTime(ticket);
        }
        return session;
    }

    /** With the ticket of the last session if there is one (no TLS in process: no channel binding), else a signature. */
    private void authenticate(NodeSession fresh) {
        if (ticket != null) {
            byte[] nonce = SessionTicket.newNonce();
            try {
                fresh.resume(ticket.ticket(), nonce, ticket.proof(NO_BYTES, NO_BYTES, nonce));
                return;
            } catch (AuthenticationException e) { // expired, or a restarted node: sign instead
                ticket = null;
            }
        }
        Authenticator auth = config.authenticator();
        byte[] nonce = fresh.challenge();
        fresh.authenticate(auth.publicKey(), auth.sign(Authenticator.challengeMessage(fresh.nodeName(),
                NO_BYTES, nonce)));
    }

    private static long refreshTime(SessionTicket ticket) {
        return ticket == null ? 0 : System.nanoTime() + ticket.lifetime().toNanos() / 2;
    }
}
