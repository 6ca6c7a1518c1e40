package dev.parley.tck;

import dev.parley.ConversationType;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.SessionTicket;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import dev.parley.spi.node.NodeTls;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A node that takes publishes and never answers them: it serves an endpoint of the transport under
 * test in front of a real node, passes everything else on to it (authentication, queries, conversations,
 * subscriptions), and keeps every publish waiting for good. For the rules on request timeouts.
 */
final class UnansweringNode implements NodeAccess, AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final NodeAccess real;
    private final Endpoint endpoint;
    private final AtomicInteger publishes = new AtomicInteger();

    private UnansweringNode(String scheme, NodeAccess real) {
        this.real = real;
        String bind = "inproc".equals(scheme) ? "inproc://unanswering-" + NAMES.incrementAndGet()
                : scheme + "://127.0.0.1:0";
        this.endpoint = RelayingNode.endpointProvider(scheme).start(this, URI.create(bind));
    }

    /** Serves an endpoint of {@code scheme} in front of {@code real}; the caller closes it (not the real node). */
    static UnansweringNode start(String scheme, NodeAccess real) {
        return new UnansweringNode(scheme, real);
    }

    URI address() {
        return endpoint.address();
    }

    /** How many publishes reached this node (none of them answered). */
    int publishesTaken() {
        return publishes.get();
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public String epoch() {
        return real.epoch();
    }

    @Override
    public Optional<NodeTls> tls() {
        return real.tls();
    }

    @Override
    public NodeLimits limits() {
        return real.limits();
    }

    @Override
    public NodeSession openSession(String remoteAddress, byte[] channelBinding) {
        return new Session(real.openSession(remoteAddress, channelBinding));
    }

    @Override
    public void close() {
        endpoint.close();
    }

    /** The real node's session, but for publishes. */
    private final class Session implements NodeSession {
        private final NodeSession real;

        Session(NodeSession real) {
            this.real = real;
        }

        @Override
        public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
            publishes.incrementAndGet();
            return new CompletableFuture<>(); // never answered
        }

        @Override
        public byte[] challenge() {
            return real.challenge();
        }

        @Override
        public String nodeName() {
            return real.nodeName();
        }

        @Override
        public String authenticate(byte[] publicKey, byte[] signature) {
            return real.authenticate(publicKey, signature);
        }

        @Override
        public SessionTicket issueTicket() {
            return real.issueTicket();
        }

        @Override
        public String resume(byte[] ticket, byte[] clientNonce, byte[] proof) {
            return real.resume(ticket, clientNonce, proof);
        }

        @Override
        public String inboxId() {
            return real.inboxId();
        }

        @Override
        public String epoch() {
            return real.epoch();
        }

        @Override
        public NodeLimits limits() {
            return real.limits();
        }

        @Override
        public List<Envelope> query(String topic, long afterSequence, int limit) {
            return real.query(topic, afterSequence, limit);
        }

        @Override
        public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                            String name, String idempotencyKey) {
            return real.createConversation(type, memberInboxIds, name, idempotencyKey);
        }

        @Override
        public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
            return real.updateGroup(change);
        }

        @Override
        public Subscription subscribe(Map<String, Long> cursors, long initialDemand, Duration heartbeatInterval,
                                      SubscriptionListener listener) {
            return real.subscribe(cursors, initialDemand, heartbeatInterval, listener);
        }

        @Override
        public boolean isOpen() {
            return real.isOpen();
        }

        @Override
        public void onTerminated(Consumer<Throwable> handler) {
            real.onTerminated(handler);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
