package dev.parley.transport;

import dev.parley.spi.GroupChange;
import com.google.protobuf.UnsafeByteOperations;
import dev.parley.ConversationType;
import dev.parley.ParleyException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.RequestDeadlines;
import dev.parley.internal.util.ScopedTimers;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.CreateConversationRequest;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishRequest;
import dev.parley.protocol.QueryRequest;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Transport} over framed links (gRPC calls, WebSockets): one link at a time carries the
 * handshake, every request (matched by request id) and every subscription. When the link dies, its
 * requests and subscriptions fail with a retryable error and the next operation opens a new link;
 * the transport itself never retries an operation.
 */
public final class FramedTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(FramedTransport.class);
    private static final int CONNECT_ATTEMPTS = 3;
    private final FrameLink.Factory links;
    private final TransportConfig config;
    private final SharedResource.Lease<ScheduledExecutorService> timerLease;
    private final ScopedTimers timers; // this transport's timers on the JVM's shared timer thread
    private final TicketHolder tickets = new TicketHolder();
    private ClientFrameSession current;                      // guarded by this
    private CompletableFuture<ClientFrameSession> connecting; // guarded by this
    private boolean closed;                          // guarded by this
    private volatile SubscriptionLimits limits = SubscriptionLimits.DEFAULTS; // the last connection's

    private FramedTransport(FrameLink.Factory links, TransportConfig config) {
        this.links = links;
        this.config = config;
        this.timerLease = SharedThreads.TIMERS.acquire();
        this.timers = new ScopedTimers(timerLease.get());
    }

    /**
     * Connects and authenticates, or throws the typed reason it could not. A connection that breaks
     * during the handshake (a reset under load) is tried again, at most {@value #CONNECT_ATTEMPTS} times.
     *
     * @param name the transport's name in log lines, e.g. {@code grpc}
     */
    public static FramedTransport connect(FrameLink.Factory links, TransportConfig config, String name) {
        FramedTransport transport = new FramedTransport(links, config);
        for (int attempt = 1; ; attempt++) {
            try {
                transport.connection().get(config.requestTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
                return transport;
            } catch (ExecutionException | CompletionException e) {
                ParleyException failure = Failures.asParley(e.getCause());
                if (attempt < CONNECT_ATTEMPTS && failure instanceof TransportException t && t.isRetryable()) {
                    log.info("{}: connecting failed ({}); trying again", name, failure.getMessage());
                    continue;
                }
                transport.close();
                throw failure;
            } catch (TimeoutException e) {
                transport.close();
                throw new TransportException("could not connect within " + config.requestTimeout().multipliedBy(2),
                        true, e);
            } catch (InterruptedException e) {
                transport.close();
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while connecting", true, e);
            }
        }
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        if (payload.length > WireLimits.MAX_PAYLOAD_BYTES) {
            return CompletableFuture.failedFuture(new ProtocolException("payload of " + payload.length
                    + " bytes exceeds the limit of " + WireLimits.MAX_PAYLOAD_BYTES));
        }
        long deadline = RequestDeadlines.fromNow(config.requestTimeout());
        // the SPI lets the payload be read until the answer: wrapped, not copied
        PublishRequest request = PublishRequest.newBuilder().setTopic(topic)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload)).setIdempotencyKey(idempotencyKey).build();
        return onConnection(deadline, c -> c.publish(request, deadline));
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
        ClientFrame.Builder frame = ClientFrame.newBuilder().setQuery(QueryRequest.newBuilder()
                .setTopic(topic).setAfterSequence(afterSequence).setLimit(limit));
        return request(frame, NodeFrame.BodyCase.QUERY_RESULT).thenApply(f ->
                f.getQueryResult().getEnvelopesList().stream().map(Wire::fromWire).toList());
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                        String name, String idempotencyKey) {
        ClientFrame.Builder frame = ClientFrame.newBuilder().setCreateConversation(CreateConversationRequest
                .newBuilder().setKind(Wire.toWire(type)).addAllMemberInboxIds(memberInboxIds).setName(name)
                .setIdempotencyKey(idempotencyKey));
        return request(frame, NodeFrame.BodyCase.CONVERSATION_CREATED)
                .thenApply(f -> f.getConversationCreated().getConversationId());
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        return request(ClientFrame.newBuilder().setUpdateGroup(Wire.toWire(change)), NodeFrame.BodyCase.PUBLISH_RESULT)
                .thenApply(f -> new PublishResult(f.getPublishResult().getSequence(),
                        f.getPublishResult().getTimestampNs()));
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                     SubscriptionListener listener) {
        long deadline = RequestDeadlines.fromNow(config.requestTimeout());
        return onConnection(deadline, c -> c.subscribe(cursors, initialDemand, listener, deadline), Subscription::cancel);
    }

    @Override
    public SubscriptionLimits subscriptionLimits() {
        return limits;
    }

    /**
     * True: every request fails between its request timeout and one sweep tick after it without an answer
     * ({@code PendingRequests}, {@code PublishBatcher}), and a request waiting for a connection is bounded
     * by a timer of its own.
     */
    @Override
    public boolean timesOutRequests() {
        return true;
    }

    @Override
    public void close() {
        ClientFrameSession toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = current;
            current = null;
        }
        if (toClose != null) {
            toClose.close(new TransportException("transport closed", false));
        }
        timers.shutdownNow();
        timerLease.close();
        links.close();
    }

    private CompletableFuture<NodeFrame> request(ClientFrame.Builder frame, NodeFrame.BodyCase expected) {
        long deadline = RequestDeadlines.fromNow(config.requestTimeout());
        return onConnection(deadline, c -> c.request(frame, deadline, expected));
    }

    /**
     * {@link #onConnection(long, Function, Consumer)} for a call whose result needs no undoing when it comes
     * after the deadline (an answer, not a resource): a late result is dropped.
     */
    private <T> CompletableFuture<T> onConnection(long deadline, Function<ClientFrameSession, CompletableFuture<T>> call) {
        return onConnection(deadline, call, late -> {
        });
    }

    /**
     * {@code call} on the open connection; when there is none yet, once the connection is open, bounded by
     * {@code deadline} with a timer (the connection's own handshake may take longer than one request), a
     * result that comes after it going to {@code late}.
     */
    private <T> CompletableFuture<T> onConnection(long deadline, Function<ClientFrameSession, CompletableFuture<T>> call,
                                                  Consumer<? super T> late) {
        CompletableFuture<ClientFrameSession> connection = connection();
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            return call.apply(connection.join());
        }
        return RequestDeadlines.bound(connection.thenCompose(call), deadline, config.requestTimeout(), late);
    }

    /** The open, authenticated connection, opening a new one when there is none. */
    private synchronized CompletableFuture<ClientFrameSession> connection() {
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("transport closed", false));
        }
        if (current != null && current.isOpen()) {
            return CompletableFuture.completedFuture(current);
        }
        if (connecting != null) {
            return connecting;
        }
        ClientFrameSession fresh = new ClientFrameSession(links, config, timers, tickets);
        CompletableFuture<ClientFrameSession> handshake = fresh.open();
        connecting = handshake;
        // may run at once (a link that failed right away), which is why the local future is returned
        handshake.whenComplete((connection, error) -> {
            boolean keep;
            synchronized (this) {
                connecting = null;
                keep = error == null && !closed;
                if (keep) {
                    current = connection;
                    limits = connection.limits();
                }
            }
            if (error == null && !keep) {
                connection.close(new TransportException("transport closed", false));
            }
        });
        return handshake;
    }
}
