package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.AuthenticationException;
import dev.parley.ParleyException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.Heartbeats;
import dev.parley.protocol.AuthOk;
import dev.parley.protocol.AuthResponse;
import dev.parley.protocol.Hello;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CreateConversationResult;
import dev.parley.protocol.Heartbeat;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.QueryResult;
import dev.parley.protocol.Subscribed;
import dev.parley.protocol.SubscriptionClosed;
import dev.parley.protocol.TopicsAdded;
import dev.parley.spi.Envelope;
import dev.parley.spi.SessionTicket;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node side of one link: turns client frames into calls on a {@link NodeSession} and sends the
 * answers, envelopes and heartbeats back. A bad frame gets an error frame for its request id and
 * never takes the node down. A client silent for two heartbeat intervals is disconnected, and so
 * is one that has not authenticated in the time its endpoint gives it (what is left of the node's
 * {@link dev.parley.spi.node.NodeLimits#preAuthenticationTimeout()} since the connection was accepted).
 */
public final class NodeFrameSession {
    private static final Logger log = LoggerFactory.getLogger(NodeFrameSession.class);
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    private static final long NO_TICKET = Long.MIN_VALUE;

    private final NodeSession session;
    private final Consumer<NodeFrame> out;
    private final Runnable closeLink;
    private final ScheduledExecutorService timers;
    private final String remote;
    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile Duration heartbeat = DEFAULT_HEARTBEAT;
    private ScheduledFuture<?> heartbeatTask;
    private final ScheduledFuture<?> authenticationDeadline;
    private volatile long ticketRefreshAt = NO_TICKET;
    private boolean closed;

    /**
     * @param out                   sends a frame on the link; must be safe to call from several threads
     * @param closeLink             closes the link from the node side (the session then frees itself)
     * @param authenticateWithin    time left to authenticate; then the link is closed
     */
    public NodeFrameSession(NodeSession session, Consumer<NodeFrame> out, Runnable closeLink,
                              ScheduledExecutorService timers, String remote, Duration authenticateWithin) {
        this.session = session;
        this.out = out;
        this.closeLink = closeLink;
        this.timers = timers;
        this.remote = remote;
        scheduleHeartbeats();
        authenticationDeadline = timers.schedule(() -> {
            if (session.inboxId() == null) {
                log.info("client {} did not authenticate in time; closing its connection", remote);
                // retryable: the node refuses no identity, the connection was only too slow
                send(NodeFrame.newBuilder().setError(Wire.toWire(new TransportException(
                        "not authenticated within the node's pre-authentication timeout; connection closed", true)))
                        .build());
                disconnect();
            }
        }, Math.max(0, authenticateWithin.toNanos()), TimeUnit.NANOSECONDS);
        // last: it may run at once, when the node already ended the session
        session.onTerminated(cause -> {
            send(NodeFrame.newBuilder().setError(Wire.toWire(cause)).build());
            disconnect();
        });
    }

    /** Handles one frame from the client, on the link's thread. */
    public void onFrame(ClientFrame frame) {
        lastHeardNanos = System.nanoTime();
        long id = frame.getRequestId();
        try {
            NodeFrame.Builder answer = answer(frame);
            if (answer != null) {
                send(answer.setRequestId(id).build());
            }
        } catch (RuntimeException e) {
            // a refusal (a Parley exception, also inside a CompletionException from a join) is the client's
            // business; only what the node did not expect is worth a warning
            if (!(Failures.unwrap(e) instanceof ParleyException)) {
                log.warn("request {} from {} failed", frame.getBodyCase(), remote, e);
            }
            send(NodeFrame.newBuilder().setRequestId(id).setError(Wire.toWire(e)).build());
        }
    }

    /** A frame the link could not even parse: tell the client, then drop the link. */
    public void onMalformedFrame(String why) {
        send(NodeFrame.newBuilder().setError(Wire.toWire(new ProtocolException("malformed frame: " + why))).build());
        disconnect();
    }

    /** Closes the link from the node side and frees everything of this session. */
    private void disconnect() {
        closeLink.run();
        linkClosed();
    }

    /** The link is gone: free the session, its subscriptions and timers. Idempotent. */
    public void linkClosed() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (heartbeatTask != null) {
                heartbeatTask.cancel(false);
            }
            authenticationDeadline.cancel(false);
        }
        session.close();
        subscriptions.clear();
    }

    private NodeFrame.Builder answer(ClientFrame frame) {
        long id = frame.getRequestId();
        NodeFrame.Builder answer = NodeFrame.newBuilder();
        switch (frame.getBodyCase()) {
            case HELLO -> {
                Duration requested;
                try {
                    requested = Heartbeats.accepted(frame.getHello().getHeartbeatIntervalMs(), heartbeat);
                } catch (ProtocolException e) { // a handshake the node cannot honour: the session is refused
                    send(NodeFrame.newBuilder().setRequestId(id).setError(Wire.toWire(e)).build());
                    disconnect();
                    return null;
                }
                String refused = "";
                Hello hello = frame.getHello();
                if (!hello.getResumptionTicket().isEmpty()) {
                    try {
                        String inbox = session.resume(hello.getResumptionTicket().toByteArray(),
                                hello.getResumptionNonce().toByteArray(), hello.getResumptionProof().toByteArray());
                        heartbeatRequested(requested);
                        return answer.setAuthOk(authOk(inbox, true));
                    } catch (AuthenticationException e) {
                        refused = e.getMessage(); // a full authentication follows: the challenge says why
                    }
                }
                answer.setChallenge(challenge(refused));
                heartbeatRequested(requested);
                return answer;
            }
            case AUTH -> {
                AuthResponse auth = frame.getAuth();
                if (!auth.getResumptionTicket().isEmpty()) {
                    try {
                        return answer.setAuthOk(authOk(session.resume(auth.getResumptionTicket().toByteArray(),
                                auth.getResumptionNonce().toByteArray(), auth.getResumptionProof().toByteArray()), true));
                    } catch (AuthenticationException e) {
                        return answer.setChallenge(challenge(e.getMessage()));
                    }
                }
                return answer.setAuthOk(authOk(session.authenticate(auth.getPublicKey().toByteArray(),
                        auth.getSignature().toByteArray()), false));
            }
            case PUBLISH -> {
                answerWhenDone(id, session.publish(frame.getPublish().getTopic(),
                        frame.getPublish().getPayload().toByteArray(), frame.getPublish().getIdempotencyKey())
                        .thenApply(r -> answer.setPublishResult(PublishAck.newBuilder().setSequence(r.sequence())
                                .setTimestampNs(r.timestampNs()))));
                return null;
            }
            case PUBLISH_BATCH -> {
                answerWhenDone(id, PublishBatches.publish(session, frame.getPublishBatch(), remote)
                        .thenApply(answer::setPublishAcks));
                return null;
            }
            case QUERY -> {
                QueryResult.Builder result = QueryResult.newBuilder();
                session.query(frame.getQuery().getTopic(), frame.getQuery().getAfterSequence(),
                        frame.getQuery().getLimit()).forEach(e -> result.addEnvelopes(Wire.toWire(e)));
                return answer.setQueryResult(result);
            }
            case CREATE_CONVERSATION -> {
                answerWhenDone(id, session.createConversation(Wire.fromWire(frame.getCreateConversation().getKind()),
                        frame.getCreateConversation().getMemberInboxIdsList(), frame.getCreateConversation().getName(),
                        frame.getCreateConversation().getIdempotencyKey())
                        .thenApply(conversation -> answer.setConversationCreated(
                                CreateConversationResult.newBuilder().setConversationId(conversation))));
                return null;
            }
            case UPDATE_GROUP -> {
                answerWhenDone(id, session.updateGroup(Wire.fromWire(frame.getUpdateGroup()))
                        .thenApply(r -> answer.setPublishResult(PublishAck.newBuilder().setSequence(r.sequence())
                                .setTimestampNs(r.timestampNs()))));
                return null;
            }
            case SUBSCRIBE -> {
                subscribe(id, frame);
                return null;
            }
            case ADD_TOPICS -> {
                Subscription s = subscription(frame.getAddTopics().getSubscriptionId());
                Map<String, Long> resolved = s.addTopics(Wire.fromWire(frame.getAddTopics().getCursorsList())).join();
                return answer.setTopicsAdded(TopicsAdded.newBuilder().addAllResolved(Wire.toWire(resolved)));
            }
            case REMOVE_TOPICS -> {
                subscription(frame.getRemoveTopics().getSubscriptionId())
                        .removeTopics(frame.getRemoveTopics().getTopicsList());
                return null;
            }
            case DEMAND -> {
                subscription(id).request(frame.getDemand().getN());
                return null;
            }
            case CANCEL -> {
                Subscription s = subscriptions.get(id);
                if (s != null) {
                    s.cancel();
                }
                return null;
            }
            case HEARTBEAT -> {
                return null;
            }
            default -> throw new ProtocolException("frame without a known body: " + frame.getBodyCase());
        }
    }

    /** A fresh challenge; refused once authenticated, before anything changes. */
    private Challenge.Builder challenge(String resumptionRefused) {
        byte[] nonce = session.challenge();
        return Challenge.newBuilder().setNonce(ByteString.copyFrom(nonce)).setNodeName(session.nodeName())
                .setResumptionRefused(resumptionRefused);
    }

    private void heartbeatRequested(Duration requested) {
        if (!requested.equals(heartbeat)) {
            heartbeat = requested;
            scheduleHeartbeats();
        }
    }

    private AuthOk.Builder authOk(String inbox, boolean resumed) {
        SubscriptionLimits limits = session.limits().subscriptionLimits();
        AuthOk.Builder ok = AuthOk.newBuilder().setInboxId(inbox).setHeartbeatIntervalMs(heartbeat.toMillis())
                .setEpoch(session.epoch())
                .setMaxTopicsPerSubscription(limits.maxTopicsPerSubscription())
                .setMaxSubscriptionsPerSession(limits.maxSubscriptionsPerSession())
                .setResumed(resumed);
        SessionTicket ticket = issueTicket();
        if (ticket != null) {
            ok.setResumption(Wire.toWire(ticket));
        }
        return ok;
    }

    /** A fresh ticket for this authenticated session (null when the node issues none), remembering when. */
    private SessionTicket issueTicket() {
        SessionTicket ticket = session.issueTicket();
        if (ticket != null) {
            ticketRefreshAt = System.nanoTime() + ticket.lifetime().toNanos() / 2;
        }
        return ticket;
    }

    /** Hands a live connection a new ticket every half lifetime, so the client holds a valid one when it drops. */
    private void refreshTicketIfDue() {
        if (ticketRefreshAt == NO_TICKET || System.nanoTime() - ticketRefreshAt < 0 || session.inboxId() == null) {
            return;
        }
        SessionTicket ticket = issueTicket();
        if (ticket != null) {
            send(NodeFrame.newBuilder().setResumptionTicket(Wire.toWire(ticket)).build());
        }
    }

    /** Sends the answer to request {@code id} once the node has it (a durable write), or the error. */
    private void answerWhenDone(long id, CompletableFuture<NodeFrame.Builder> answer) {
        answer.whenComplete((frame, error) -> send(error == null ? frame.setRequestId(id).build()
                : NodeFrame.newBuilder().setRequestId(id).setError(Wire.toWire(error)).build()));
    }

    private void subscribe(long id, ClientFrame frame) {
        if (subscriptions.containsKey(id)) {
            throw new ProtocolException("subscription id " + id + " is in use");
        }
        Duration interval = Heartbeats.accepted(frame.getSubscribe().getHeartbeatIntervalMs(), heartbeat);
        // no demand until the client knows the subscription exists, so "subscribed" precedes every envelope
        Subscription s = session.subscribe(Wire.fromWire(frame.getSubscribe().getCursorsList()), 0, interval,
                new Forwarder(id));
        subscriptions.put(id, s);
        send(NodeFrame.newBuilder().setRequestId(id).setSubscribed(Subscribed.getDefaultInstance()).build());
        long demand = frame.getSubscribe().getInitialDemand();
        if (demand > 0) {
            s.request(demand);
        }
    }

    private Subscription subscription(long id) {
        Subscription s = subscriptions.get(id);
        if (s == null) {
            throw new ProtocolException("no subscription " + id + " on this connection");
        }
        return s;
    }

    private void send(NodeFrame frame) {
        try {
            out.accept(frame);
        } catch (RuntimeException e) {
            log.debug("frame to {} not sent: {}", remote, e.getMessage());
        }
    }

    private synchronized void scheduleHeartbeats() {
        if (closed) {
            return;
        }
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
        long interval = heartbeat.toNanos();
        heartbeatTask = timers.scheduleAtFixedRate(() -> {
            long silent = System.nanoTime() - lastHeardNanos;
            if (silent > 2 * interval) {
                log.info("client {} silent for {} ms; closing its connection", remote,
                        TimeUnit.NANOSECONDS.toMillis(silent));
                send(NodeFrame.newBuilder().setError(Wire.toWire(new TransportException(
                        "no heartbeat from the client", true))).build());
                disconnect();
                return;
            }
            refreshTicketIfDue();
            send(NodeFrame.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setSentAtNs(System.currentTimeMillis() * 1_000_000L)).build());
        }, interval / 2, interval / 2, TimeUnit.NANOSECONDS);
    }

    /** Sends what a node subscription delivers as frames of subscription {@code id}. */
    private final class Forwarder implements SubscriptionListener {
        private final long id;

        Forwarder(long id) {
            this.id = id;
        }

        @Override
        public void onEnvelope(Envelope envelope) {
            send(NodeFrame.newBuilder().setRequestId(id).setEnvelope(Wire.toWire(envelope)).build());
        }

        @Override
        public void onEnvelopes(List<Envelope> envelopes) {
            if (envelopes.size() == 1) {
                onEnvelope(envelopes.get(0));
                return;
            }
            Wire.toWireBatches(envelopes).forEach(batch ->
                    send(NodeFrame.newBuilder().setRequestId(id).setEnvelopes(batch).build()));
        }

        @Override
        public void onHeartbeat() {
            send(NodeFrame.newBuilder().setRequestId(id).setHeartbeat(Heartbeat.getDefaultInstance()).build());
        }

        @Override
        public void onError(Throwable error) {
            subscriptions.remove(id);
            send(NodeFrame.newBuilder().setRequestId(id).setError(Wire.toWire(error)).build());
        }

        @Override
        public void onClosed() {
            subscriptions.remove(id);
            send(NodeFrame.newBuilder().setRequestId(id).setSubscriptionClosed(SubscriptionClosed.getDefaultInstance()).build());
        }
    }
}
