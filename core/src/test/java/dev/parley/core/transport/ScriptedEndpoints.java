package dev.parley.core.transport;

import dev.parley.ConversationType;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.core.stream.ScriptedTransport;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Endpoints whose transports a test scripts: each endpoint connects or throws, and its transport
 * answers every request or fails it with a given exception. Counts connections and requests.
 */
final class ScriptedEndpoints implements FailoverTransport.Connector {
    private final Map<URI, Endpoint> endpoints = new ConcurrentHashMap<>();

    /** The endpoint named {@code name} ({@code scripted://name}), made on first use. */
    Endpoint endpoint(String name) {
        return endpoints.computeIfAbsent(uri(name), Endpoint::new);
    }

    static URI uri(String name) {
        return URI.create("scripted://" + name);
    }

    static List<URI> uris(String... names) {
        return java.util.Arrays.stream(names).map(ScriptedEndpoints::uri).toList();
    }

    @Override
    public Transport connect(URI endpoint) {
        Endpoint scripted = endpoints.computeIfAbsent(endpoint, Endpoint::new);
        scripted.connects.incrementAndGet();
        RuntimeException refusal = scripted.connectFailure;
        if (refusal != null) {
            if (scripted.connectFailsOnce) {
                scripted.connectFailure = null;
            }
            throw refusal;
        }
        EndpointTransport transport = new EndpointTransport(scripted);
        scripted.transports.add(transport);
        return transport;
    }

    /** One endpoint's script and what happened to it. */
    static final class Endpoint {
        final URI uri;
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final List<EndpointTransport> transports = new CopyOnWriteArrayList<>();
        final List<SubscriptionListener> listeners = new CopyOnWriteArrayList<>();
        volatile RuntimeException connectFailure;
        volatile boolean connectFailsOnce;
        volatile RuntimeException requestFailure;
        volatile boolean silent;           // requests are never answered
        volatile boolean timesOutRequests; // what its transports say of themselves (silent ones do not keep it)
        volatile SubscriptionLimits limits = SubscriptionLimits.DEFAULTS;

        Endpoint(URI uri) {
            this.uri = uri;
        }

        Endpoint refuseConnections(RuntimeException failure) {
            connectFailure = failure;
            connectFailsOnce = false;
            return this;
        }

        Endpoint refuseNextConnection(RuntimeException failure) {
            connectFailure = failure;
            connectFailsOnce = true;
            return this;
        }

        Endpoint failRequests(RuntimeException failure) {
            requestFailure = failure;
            return this;
        }

        Endpoint answer() {
            requestFailure = null;
            silent = false;
            return this;
        }

        /** Requests are taken and never answered; its transports claim to time requests out when {@code claimsTimeouts}. */
        Endpoint neverAnswer(boolean claimsTimeouts) {
            silent = true;
            timesOutRequests = claimsTimeouts;
            return this;
        }

        boolean closed() {
            return !transports.isEmpty() && transports.stream().allMatch(t -> t.closed);
        }
    }

    /** A connection to a scripted endpoint; requests answer with the endpoint's name or fail as scripted. */
    static final class EndpointTransport implements Transport {
        private final Endpoint endpoint;
        volatile boolean closed;

        EndpointTransport(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        private <T> CompletableFuture<T> answer(T value) {
            endpoint.requests.incrementAndGet();
            if (endpoint.silent) {
                return new CompletableFuture<>();
            }
            RuntimeException failure = endpoint.requestFailure;
            return failure == null ? CompletableFuture.completedFuture(value) : CompletableFuture.failedFuture(failure);
        }

        @Override
        public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
            return answer(new PublishResult(endpoint.requests.get() + 1, 0));
        }

        @Override
        public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
            return answer(List.of());
        }

        @Override
        public CompletableFuture<String> createConversation(ConversationType type, List<String> members, String name,
                                                            String idempotencyKey) {
            return answer(endpoint.uri.getAuthority());
        }

        @Override
        public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
            return answer(new PublishResult(1, 0));
        }

        @Override
        public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                         SubscriptionListener listener) {
            CompletableFuture<Subscription> answered =
                    answer(new ScriptedTransport.ScriptedSubscription(Map.copyOf(cursors), initialDemand, listener));
            if (!answered.isCompletedExceptionally()) {
                endpoint.listeners.add(listener);
            }
            return answered;
        }

        @Override
        public SubscriptionLimits subscriptionLimits() {
            return endpoint.limits;
        }

        @Override
        public boolean timesOutRequests() {
            return endpoint.timesOutRequests;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
