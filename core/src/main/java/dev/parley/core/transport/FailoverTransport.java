package dev.parley.core.transport;

import dev.parley.ConversationType;
import dev.parley.LimitExceededException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.RequestDeadlines;
import dev.parley.internal.util.ScopedExecutor;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A transport over several endpoints serving the same conversations (nodes of one cluster), one
 * {@link Transport} per endpoint, made through a {@link Connector} when the endpoint is first used
 * (so schemes may differ per endpoint).
 *
 * <p><b>Which endpoint.</b> Everything goes to the <em>current</em> endpoint. It moves on to the
 * next one (round-robin: after the last comes the first again) when the current one fails an
 * operation, a subscribe or a live subscription with a failure that says the node cannot be
 * reached ({@link #movesOn}: a retryable {@link TransportException} that is not a
 * {@link LimitExceededException}). Refusals ({@code PermissionDeniedException},
 * {@code ProtocolException}, limits, {@code NodeResetException}, a non-retryable
 * {@code TransportException} such as a refused TLS certificate) never move it: another node would
 * answer the same. A failure moves it only while the endpoint that failed is still the current one,
 * so many requests and streams failing together on one node move it one step, not many.
 *
 * <p><b>Operations</b> (publish, query, conversation creation, group change) are tried on the
 * current endpoint, then, while each fails by {@link #movesOn}, once on each next endpoint in turn:
 * at most one try per endpoint per call, and none once the call's request timeout has passed (its
 * caller has given up). When none answers, the call fails with a retryable
 * {@code TransportException} naming every endpoint tried and why. Publishes, group changes and
 * conversation creations carry an idempotency key, which holds across the nodes of a cluster (a
 * conversation's id is derived from its creator and key), so a try on the next node never duplicates
 * them.
 *
 * <p><b>Subscriptions</b> are not moved: a broken one fails to its listener as before, and the
 * stream engine's retry (with its delays) re-subscribes from its cursors; that subscribe goes to the
 * endpoint that is current by then. A failed endpoint's transport is kept: it reconnects on its own
 * when its turn comes again. Endpoints that serve another history (epoch) than the client's store are
 * not special here: their {@code NodeResetException} passes through to whoever follows histories.
 *
 * <p>{@link #subscriptionLimits()} are the current endpoint's once it connected (else those of the
 * last endpoint that connected). {@link #close()} closes every endpoint's transport, including one
 * still connecting.
 */
public final class FailoverTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(FailoverTransport.class);

    /** Connects (and authenticates) to one endpoint, blocking; throws what the endpoint's transport throws. */
    @FunctionalInterface
    public interface Connector {
        Transport connect(URI endpoint);
    }

    private final List<URI> endpoints;
    private final Connector connector;
    private final Duration requestTimeout;
    private final SharedResource.Lease<ExecutorService> blocking;
    private final ScopedExecutor connects; // on the JVM's shared pool for blocking work
    private final List<CompletableFuture<Transport>> transports; // per endpoint; null: not connected, guarded by this
    private final AtomicInteger current;
    private volatile Transport lastConnected;
    private boolean closed; // guarded by this

    private FailoverTransport(List<URI> endpoints, Connector connector, Duration requestTimeout, int connectedIndex,
                              Transport connected) {
        this.endpoints = List.copyOf(endpoints);
        this.requestTimeout = requestTimeout;
        this.connector = connector;
        this.blocking = SharedThreads.BLOCKING.acquire();
        this.connects = new ScopedExecutor(blocking.get());
        this.transports = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            transports.add(i == connectedIndex ? CompletableFuture.completedFuture(connected) : null);
        }
        this.current = new AtomicInteger(connectedIndex);
        this.lastConnected = connected;
    }

    /**
     * Connects to the first of {@code endpoints} that answers, trying them in order on the calling
     * thread with {@code first}; the others are connected with {@code later} when first used. An
     * operation goes on to the next endpoint only within {@code requestTimeout} of its start (what the
     * client waits for an answer).
     *
     * @throws TransportException retryable, naming every endpoint and why it failed, when none answered
     * @throws RuntimeException   the first failure that is not {@link #movesOn} (e.g. the identity was refused)
     */
    public static FailoverTransport connect(List<URI> endpoints, Connector first, Connector later,
                                            Duration requestTimeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoint to connect to");
        }
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            try {
                return new FailoverTransport(endpoints, later, requestTimeout, i, first.connect(endpoints.get(i)));
            } catch (RuntimeException e) {
                if (!movesOn(e)) {
                    throw e;
                }
                log.info("endpoint {} did not answer ({}); trying the next", endpoints.get(i), e.getMessage());
                failures.add(e);
            }
        }
        throw noneAnswered(endpoints, failures);
    }

    /** True when {@code failure} says the endpoint cannot be reached now, so the next one should be used. */
    public static boolean movesOn(Throwable failure) {
        return Failures.unwrap(failure) instanceof TransportException e && e.isRetryable()
                && !(e instanceof LimitExceededException);
    }

    /** The endpoints, in the order they are tried. */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** The endpoint everything goes to now. */
    public URI currentEndpoint() {
        return endpoints.get(current.get());
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        return call(t -> t.publish(topic, payload, idempotencyKey));
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
        return call(t -> t.query(topic, afterSequence, limit));
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                       String name, String idempotencyKey) {
        return call(t -> t.createConversation(type, memberInboxIds, name, idempotencyKey));
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        return call(t -> t.updateGroup(change));
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                     SubscriptionListener listener) {
        int index = current.get();
        long deadline = RequestDeadlines.fromNow(requestTimeout);
        boolean selfTimed = connectedTimingOut(index);
        CompletableFuture<Subscription> subscribed = on(index, t -> t.subscribe(cursors, initialDemand,
                new Watched(listener, index)));
        // a subscription that opens after the deadline is cancelled: whoever asked has moved on
        return (selfTimed ? subscribed : RequestDeadlines.bound(subscribed, deadline, requestTimeout, Subscription::cancel))
                .whenComplete((subscription, failure) -> {
                    if (failure != null) {
                        failed(index, failure);
                    }
                });
    }

    /** True: each operation is bounded by its request timeout, over every endpoint it tries ({@link #call}). */
    @Override
    public boolean timesOutRequests() {
        return true;
    }

    @Override
    public SubscriptionLimits subscriptionLimits() {
        CompletableFuture<Transport> now;
        synchronized (this) {
            now = transports.get(current.get());
        }
        Transport transport = now != null && now.isDone() && !now.isCompletedExceptionally() ? now.join() : lastConnected;
        return transport.subscriptionLimits();
    }

    @Override
    public void close() {
        List<CompletableFuture<Transport>> toClose = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            transports.stream().filter(t -> t != null).forEach(toClose::add);
        }
        toClose.forEach(t -> t.thenAccept(Transport::close)); // one still connecting is closed once it has
        connects.close(Duration.ZERO); // a connect under way finishes on its own and closes what it made
        blocking.close();
    }

    /**
     * {@code operation} on the current endpoint, then on each next one while they fail by {@link #movesOn},
     * unless the call's {@code requestTimeout} has passed by then: whoever waits for it has given up.
     */
    private <T> CompletableFuture<T> call(Function<Transport, CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call(operation, current.get(), new ArrayList<>(), RequestDeadlines.fromNow(requestTimeout), result);
        return result;
    }

    private <T> void call(Function<Transport, CompletableFuture<T>> operation, int index, List<Throwable> failures,
                          long deadline, CompletableFuture<T> result) {
        boolean selfTimed = failures.isEmpty() && connectedTimingOut(index);
        CompletableFuture<T> attempt = on(index, operation);
        // a first try on a connected transport that times out its requests is bounded already; any other
        // (a connection to wait for, a transport that does not, a next endpoint) gets a timer to the deadline
        (selfTimed ? attempt : RequestDeadlines.bound(attempt, deadline, requestTimeout)).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = Failures.unwrap(failure);
            failed(index, cause);
            failures.add(cause);
            if (!movesOn(cause) || result.isDone() || System.nanoTime() - deadline >= 0) {
                result.completeExceptionally(cause);
            } else if (failures.size() == endpoints.size()) {
                result.completeExceptionally(noneAnswered(tried(index), failures));
            } else {
                call(operation, next(index), failures, deadline, result);
            }
        });
    }

    /** True when endpoint {@code index}'s transport is connected and {@linkplain Transport#timesOutRequests() times out its requests}. */
    private boolean connectedTimingOut(int index) {
        CompletableFuture<Transport> transport;
        synchronized (this) {
            transport = transports.get(index);
        }
        return transport != null && transport.isDone() && !transport.isCompletedExceptionally()
                && transport.join().timesOutRequests();
    }

    /** {@code operation} on endpoint {@code index}'s transport, connecting it first when needed. */
    private <T> CompletableFuture<T> on(int index, Function<Transport, CompletableFuture<T>> operation) {
        return transport(index).thenCompose(transport -> {
            try {
                return operation.apply(transport);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** Endpoint {@code index}'s transport; a connection that failed is not kept, so the next use tries again. */
    private synchronized CompletableFuture<Transport> transport(int index) {
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("transport closed", false));
        }
        CompletableFuture<Transport> existing = transports.get(index);
        if (existing != null) {
            return existing;
        }
        CompletableFuture<Transport> connecting = new CompletableFuture<>();
        transports.set(index, connecting);
        connects.execute(() -> connectNow(index, connecting));
        return connecting;
    }

    /** Connects endpoint {@code index}; what a failure or a close changes is settled before anyone hears of it. */
    private void connectNow(int index, CompletableFuture<Transport> connecting) {
        Transport transport;
        try {
            transport = connector.connect(endpoints.get(index));
        } catch (RuntimeException e) {
            synchronized (this) {
                if (transports.get(index) == connecting) {
                    transports.set(index, null);
                }
            }
            connecting.completeExceptionally(e);
            return;
        }
        boolean closeIt;
        synchronized (this) {
            closeIt = closed;
        }
        if (closeIt) {
            transport.close();
            connecting.completeExceptionally(new TransportException("transport closed", false));
            return;
        }
        lastConnected = transport;
        log.info("connected to endpoint {}", endpoints.get(index));
        connecting.complete(transport);
    }

    /** Endpoint {@code index} failed with {@code failure}: the next one becomes current if it should and has not already. */
    private void failed(int index, Throwable failure) {
        if (movesOn(failure) && current.compareAndSet(index, next(index))) {
            log.warn("endpoint {} cannot be reached ({}); moving on to {}", endpoints.get(index),
                    Failures.unwrap(failure).getMessage(), endpoints.get(next(index)));
        }
    }

    private int next(int index) {
        return (index + 1) % endpoints.size();
    }

    /** The endpoints a call tried, in order, ending with {@code last}. */
    private List<URI> tried(int last) {
        List<URI> tried = new ArrayList<>(endpoints.size());
        for (int i = 1; i <= endpoints.size(); i++) {
            tried.add(endpoints.get((last + i) % endpoints.size()));
        }
        return tried;
    }

    /** Retryable: the endpoints may answer later. The last failure is the cause, the others are suppressed. */
    static TransportException noneAnswered(List<URI> endpoints, List<Throwable> failures) {
        StringBuilder message = new StringBuilder("none of the endpoints answered:");
        for (int i = 0; i < endpoints.size(); i++) {
            message.append(i == 0 ? " " : "; ").append(endpoints.get(i)).append(" (")
                    .append(Failures.unwrap(failures.get(i)).getMessage()).append(')');
        }
        TransportException none = new TransportException(message.toString(), true, failures.get(failures.size() - 1));
        failures.subList(0, failures.size() - 1).forEach(none::addSuppressed);
        return none;
    }

    /** Passes everything on; a broken subscription also counts against the endpoint it was on. */
    private final class Watched implements SubscriptionListener {
        private final SubscriptionListener listener;
        private final int index;

        Watched(SubscriptionListener listener, int index) {
            this.listener = listener;
            this.index = index;
        }

        @Override
        public void onEnvelope(Envelope envelope) {
            listener.onEnvelope(envelope);
        }

        @Override
        public void onEnvelopes(List<Envelope> envelopes) {
            listener.onEnvelopes(envelopes);
        }

        @Override
        public void onHeartbeat() {
            listener.onHeartbeat();
        }

        @Override
        public void onError(Throwable error) {
            failed(index, error);
            listener.onError(error);
        }

        @Override
        public void onClosed() {
            listener.onClosed();
        }
    }
}
