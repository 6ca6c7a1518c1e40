package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.Authenticator;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.protocol.AuthResponse;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Heartbeat;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishRequest;
import dev.parley.protocol.Subscribe;
import dev.parley.spi.PublishResult;
import dev.parley.spi.SessionTicket;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.TransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of one link: handshake, requests matched by id, subscriptions, heartbeats both
 * ways. Everything that depends on the link fails with the same retryable error when it closes.
 */
final class ClientFrameSession implements FrameLink.Handler {
    private static final Logger log = LoggerFactory.getLogger(ClientFrameSession.class);
    private static final byte[] NO_NONCE = new byte[0];

    private final FrameLink.Factory links;
    private final TransportConfig config;
    private final TicketHolder tickets;
    private final ScheduledExecutorService timers;
    private final AtomicLong nextId = new AtomicLong(1);
    private final PendingRequests pending;
    private final ConcurrentMap<Long, RemoteSubscription> subscriptions = new ConcurrentHashMap<>();
    private final PublishBatcher publishes = new PublishBatcher(new PublishBatcher.Sender() {
        @Override
        public CompletableFuture<NodeFrame> send(ClientFrame.Builder frame, long deadlineNanos) {
            return sendRequest(frame, deadlineNanos);
        }

        @Override
        public Throwable noAnswer() {
            return pending.noAnswer();
        }

        @Override
        public Throwable closedBy() {
            return closedBy;
        }
    });
    private volatile FrameLink link;
    private volatile Throwable closedBy;
    private volatile Throwable closeReason;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean heardAnything;
    private volatile SubscriptionLimits limits = SubscriptionLimits.DEFAULTS;
    private ScheduledFuture<?> heartbeat;

    /** @param tickets where this transport keeps its resumption ticket: the handshake uses it and renews it */
    ClientFrameSession(FrameLink.Factory links, TransportConfig config, ScheduledExecutorService timers,
                       TicketHolder tickets) {
        this.links = links;
        this.tickets = tickets;
        this.config = config;
        this.timers = timers;
        this.pending = new PendingRequests(config.requestTimeout(), timers, now -> publishes.expire(now));
    }

    /** Opens the link and authenticates; completes with this connection. */
    CompletableFuture<ClientFrameSession> open() {
        try {
            link = links.open(this);
        } catch (RuntimeException e) {
            onClosed(e);
            return CompletableFuture.failedFuture(e);
        }
        TicketHolder.Held held = tickets.current();
        boolean resumingInHello = held != null && held.resumesInHello();
        Hello.Builder hello = Hello.newBuilder().setClientVersion("parley-java/0.1")
                .setHeartbeatIntervalMs(config.heartbeatInterval().toMillis());
        if (resumingInHello) { // no TLS: nothing to bind to that only the node's answer would tell
            byte[] nonce = SessionTicket.newNonce();
            hello.setResumptionTicket(ByteString.copyFrom(held.ticket().ticket()))
                    .setResumptionNonce(ByteString.copyFrom(nonce))
                    .setResumptionProof(ByteString.copyFrom(held.ticket().proof(ChannelBindings.NONE, NO_NONCE, nonce)));
        }
        CompletableFuture<ClientFrameSession> opened = request(ClientFrame.newBuilder().setHello(hello),
                NodeFrame.BodyCase.CHALLENGE, NodeFrame.BodyCase.AUTH_OK)
                .thenCompose(answer -> {
                    if (answer.hasAuthOk()) {
                        return resumingInHello ? CompletableFuture.completedFuture(answer)
                                : CompletableFuture.failedFuture(new ProtocolException(
                                "the node accepted a connection that did not authenticate"));
                    }
                    return answerChallenge(answer.getChallenge(), held);
                })
                .thenApply(ok -> {
                    config.epochCheck().check(ok.getAuthOk().getEpoch()); // a node of another history: unusable
                    limits = SubscriptionLimits.advertised(
                            Integer.toUnsignedLong(ok.getAuthOk().getMaxTopicsPerSubscription()),
                            Integer.toUnsignedLong(ok.getAuthOk().getMaxSubscriptionsPerSession()));
                    tickets.hold(ok.getAuthOk().getResumption(), link.channelBinding());
                    startHeartbeats();
                    return this;
                });
        opened.whenComplete((c, error) -> {
            if (error == null) {
                return;
            }
            if (closedBy == null && !heardAnything) {
                // the link is up but the node never said a word: its connection may be dead, and
                // the next link must not use it
                abandon(Failures.asParley(error));
            } else {
                close(Failures.asParley(error));
            }
        });
        return opened;
    }

    /**
     * Answers the node's challenge: with the held ticket when it was issued over this same TLS channel
     * (binding), else, or when the node refused the ticket, with a signature.
     */
    private CompletableFuture<NodeFrame> answerChallenge(Challenge challenge, TicketHolder.Held held) {
        if (held != null && !challenge.getResumptionRefused().isEmpty()) {
            log.debug("the node refused the resumption ticket ({}); signing", challenge.getResumptionRefused());
            tickets.forget(held);
            return signed(challenge);
        }
        if (held == null || held.resumesInHello() || !Arrays.equals(held.channelBinding(), link.channelBinding())) {
            return signed(challenge);
        }
        byte[] nonce = SessionTicket.newNonce();
        AuthResponse resumption = AuthResponse.newBuilder()
                .setResumptionTicket(ByteString.copyFrom(held.ticket().ticket()))
                .setResumptionNonce(ByteString.copyFrom(nonce))
                .setResumptionProof(ByteString.copyFrom(held.ticket().proof(link.channelBinding(),
                        challenge.getNonce().toByteArray(), nonce)))
                .build();
        return request(ClientFrame.newBuilder().setAuth(resumption), NodeFrame.BodyCase.AUTH_OK,
                NodeFrame.BodyCase.CHALLENGE)
                .thenCompose(answer -> {
                    if (answer.hasAuthOk()) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    log.debug("the node refused the resumption ticket ({}); signing",
                            answer.getChallenge().getResumptionRefused());
                    tickets.forget(held);
                    return signed(answer.getChallenge());
                });
    }

    /**
     * Signs the challenge for the node that sent it and for this TLS connection (its channel binding): a node
     * relaying the challenge of another cannot use the answer there.
     */
    private CompletableFuture<NodeFrame> signed(Challenge challenge) {
        Authenticator auth = config.authenticator();
        byte[] message = Authenticator.challengeMessage(challenge.getNodeName(), link.channelBinding(),
                challenge.getNonce().toByteArray());
        AuthResponse response = AuthResponse.newBuilder()
                .setPublicKey(ByteString.copyFrom(auth.publicKey()))
                .setSignature(ByteString.copyFrom(auth.sign(message)))
                .build();
        return request(ClientFrame.newBuilder().setAuth(response), NodeFrame.BodyCase.AUTH_OK);
    }

    /** What the node advertised after authentication (the defaults until then, or when it said nothing). */
    SubscriptionLimits limits() {
        return limits;
    }

    boolean isOpen() {
        return closedBy == null;
    }

    /** The deadline of a request made now ({@link System#nanoTime()} time): the request timeout from now. */
    long deadlineFromNow() {
        return pending.deadlineFromNow();
    }

    /**
     * Publishes {@code request} with the publishes waiting on this link ({@link PublishBatcher}); fails with a
     * retryable {@link TransportException} when the node has not answered by {@code deadlineNanos}.
     */
    CompletableFuture<PublishResult> publish(PublishRequest request, long deadlineNanos) {
        return publishes.publish(request, deadlineNanos);
    }

    /** Sends a request, timed out a request timeout from now; its answer must be one of {@code expected} (or an error). */
    CompletableFuture<NodeFrame> request(ClientFrame.Builder frame, NodeFrame.BodyCase... expected) {
        return request(frame, deadlineFromNow(), expected);
    }

    /** Sends a request, timed out at {@code deadlineNanos}; its answer must be one of {@code expected} (or an error). */
    CompletableFuture<NodeFrame> request(ClientFrame.Builder frame, long deadlineNanos, NodeFrame.BodyCase... expected) {
        publishes.flush(); // publishes made before this request reach the node before it
        return sendRequest(frame, deadlineNanos).thenApply(f -> {
            if (!List.of(expected).contains(f.getBodyCase())) {
                throw new ProtocolException("node answered " + f.getBodyCase() + " to a request expecting "
                        + (expected.length == 1 ? expected[0] : List.of(expected)));
            }
            return f;
        });
    }

    /** Sends {@code frame} under a new request id; completes with the answer, or the typed error. */
    private CompletableFuture<NodeFrame> sendRequest(ClientFrame.Builder frame, long deadlineNanos) {
        if (System.nanoTime() - deadlineNanos >= 0) { // nobody waits for its answer any more: not sent
            return CompletableFuture.failedFuture(pending.noAnswer());
        }
        long id = nextId.getAndIncrement();
        CompletableFuture<NodeFrame> response = pending.register(id, deadlineNanos);
        Throwable closed = closedBy;
        if (closed != null) {
            pending.remove(id);
            return CompletableFuture.failedFuture(closed);
        }
        try {
            link.send(frame.setRequestId(id).build());
        } catch (RuntimeException e) {
            pending.remove(id);
            closeIfLinkGone(e);
            return CompletableFuture.failedFuture(e);
        }
        return response;
    }

    /** Opens a subscription; fails with a retryable {@link TransportException} when the node has not accepted it by {@code deadlineNanos}. */
    CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                              SubscriptionListener listener, long deadlineNanos) {
        if (System.nanoTime() - deadlineNanos >= 0) { // waited for a connection past its time: not sent
            return CompletableFuture.failedFuture(new TransportException("node did not accept the subscription within "
                    + config.requestTimeout(), true));
        }
        publishes.flush();
        long id = nextId.getAndIncrement();
        RemoteSubscription subscription = new RemoteSubscription(id, this, initialDemand, listener);
        subscriptions.put(id, subscription);
        Throwable closed = closedBy;
        if (closed != null) {
            subscriptions.remove(id);
            return CompletableFuture.failedFuture(closed);
        }
        Subscribe subscribe = Subscribe.newBuilder()
                .addAllCursors(Wire.toWire(cursors))
                .setInitialDemand(initialDemand)
                .setHeartbeatIntervalMs(config.heartbeatInterval().toMillis())
                .build();
        try {
            link.send(ClientFrame.newBuilder().setRequestId(id).setSubscribe(subscribe).build());
        } catch (RuntimeException e) {
            subscriptions.remove(id);
            closeIfLinkGone(e);
            return CompletableFuture.failedFuture(e);
        }
        Duration timeout = config.requestTimeout();
        ScheduledFuture<?> timer = timers.schedule(() -> subscription.opened.completeExceptionally(
                new TransportException("node did not accept the subscription within " + timeout, true)),
                deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        subscription.opened.whenComplete((s, e) -> {
            timer.cancel(false);
            if (e != null) {
                subscriptions.remove(id);
            }
        });
        return subscription.opened;
    }

    /** Sends a frame that expects no answer; quietly does nothing once the link is closed. */
    void sendQuietly(ClientFrame frame) {
        if (closedBy != null) {
            return;
        }
        try {
            link.send(frame);
        } catch (RuntimeException e) {
            log.debug("frame not sent, link closing: {}", e.getMessage());
        }
    }

    long newRequestId() {
        return nextId.getAndIncrement();
    }

    void forget(long subscriptionId) {
        subscriptions.remove(subscriptionId);
    }

    @Override
    public void onFrame(NodeFrame frame) {
        lastHeardNanos = System.nanoTime();
        heardAnything = true;
        long id = frame.getRequestId();
        if (id == 0) {
            if (frame.hasResumptionTicket()) {
                tickets.hold(frame.getResumptionTicket(), link.channelBinding());
            }
            if (frame.hasError()) {
                // the node says why it is about to close this link: it is gone for us now, so the next
                // operation opens a new connection instead of failing on this one until the close arrives
                close(Wire.fromWire(frame.getError()));
            }
            return;
        }
        RemoteSubscription subscription = subscriptions.get(id);
        if (subscription != null) {
            subscription.onFrame(frame);
            return;
        }
        CompletableFuture<NodeFrame> response = pending.remove(id);
        if (response != null) {
            if (frame.hasError()) {
                response.completeExceptionally(Wire.fromWire(frame.getError()));
            } else {
                response.complete(frame);
            }
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        Throwable reason = closeReason != null ? closeReason
                : cause instanceof TransportException ? cause
                : new TransportException("connection lost: " + cause, true, cause);
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = reason;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }
        pending.failAll(reason);
        publishes.failWaiting(reason);
        for (Long id : List.copyOf(subscriptions.keySet())) {
            RemoteSubscription subscription = subscriptions.remove(id);
            if (subscription != null) {
                subscription.connectionLost(reason);
            }
        }
    }

    /** Closes the link for {@code reason}; everything waiting on it fails with that reason. */
    void close(Throwable reason) {
        end(reason, false);
    }

    /** {@link #close}s a link that went silent: its connection is {@linkplain FrameLink#abandon() abandoned}. */
    private void abandon(Throwable reason) {
        end(reason, true);
    }

    private void end(Throwable reason, boolean silent) {
        if (closeReason == null) {
            closeReason = reason;
        }
        FrameLink l = link;
        if (l != null) {
            if (silent) {
                l.abandon();
            } else {
                l.close();
            }
        }
        onClosed(reason);
    }

    /**
     * A link that refuses a frame with a retryable {@link TransportException} is closing (its close
     * event may still be on the way): end this connection now, so that it stops counting as open.
     */
    private void closeIfLinkGone(RuntimeException sendFailure) {
        if (sendFailure instanceof TransportException t && t.isRetryable()) {
            close(sendFailure);
        }
    }

    private synchronized void startHeartbeats() {
        if (closedBy != null) {
            return;
        }
        long interval = config.heartbeatInterval().toNanos();
        heartbeat = timers.scheduleAtFixedRate(() -> {
            long silent = System.nanoTime() - lastHeardNanos;
            if (silent > 2 * interval) {
                abandon(new TransportException("no heartbeat from the node for "
                        + TimeUnit.NANOSECONDS.toMillis(silent) + " ms", true));
                return;
            }
            sendQuietly(ClientFrame.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder().setSentAtNs(System.currentTimeMillis() * 1_000_000L))
                    .build());
        }, interval / 2, interval / 2, TimeUnit.NANOSECONDS);
    }
}
