package dev.parley.tck;

import dev.parley.spi.GroupChange;
import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.ParleyException;
import dev.parley.internal.util.Services;
import dev.parley.protocol.NodeFrame;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeSession;
import dev.parley.spi.node.NodeTls;
import dev.parley.transport.FrameLink;
import dev.parley.transport.Wire;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A malicious node: it serves clients on an endpoint of the transport under test and, for each
 * client, opens a raw link to the real node, hands the client the real node's challenge (under a
 * name of its choosing, or the real one) and hands the real node the client's answer, hoping to be
 * let in there as that client. What the real node answered is kept in {@link #realNodeAnswers()}.
 */
final class RelayingNode implements NodeAccess, AutoCloseable {
    private final String claimedName;
    private final Supplier<FrameLink.Factory> toRealNode;
    private final NodeTls tls;
    private final Endpoint endpoint;
    private final List<Object> answers = new CopyOnWriteArrayList<>();

    /**
     * @param claimedName the node name given to clients; {@code null} passes on the real node's
     * @param tls         the relay's own certificate, for a TLS scheme
     */
    private RelayingNode(String scheme, String claimedName, Supplier<FrameLink.Factory> toRealNode, NodeTls tls) {
        this.claimedName = claimedName;
        this.toRealNode = toRealNode;
        this.tls = tls;
        this.endpoint = endpointProvider(scheme).start(this, URI.create(scheme + "://127.0.0.1:0"));
    }

    /** The endpoint provider of {@code scheme} on the class path (the TCK's fake nodes serve through it). */
    static EndpointProvider endpointProvider(String scheme) {
        return Services.load(EndpointProvider.class, RelayingNode.class, p -> p.scheme().equals(scheme)).stream()
                .filter(p -> p.scheme().equals(scheme)).findFirst()
                .orElseThrow(() -> new AssertionError("no endpoint for " + scheme));
    }

    static RelayingNode start(String scheme, String claimedName, Supplier<FrameLink.Factory> toRealNode, NodeTls tls) {
        return new RelayingNode(scheme, claimedName, toRealNode, tls);
    }

    URI address() {
        return endpoint.address();
    }

    /** What the real node answered each relayed authentication: an inbox id, or the exception it sent. */
    List<Object> realNodeAnswers() {
        return answers;
    }

    @Override
    public String name() {
        return claimedName == null ? "relay" : claimedName;
    }

    @Override
    public String epoch() {
        return "relay";
    }

    @Override
    public Optional<NodeTls> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public NodeSession openSession(String remoteAddress, byte[] channelBinding) {
        return new RelayedSession();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    /** One client, relayed to the real node over a raw link of its own. */
    private final class RelayedSession implements NodeSession {
        private RawFrames realNode;
        private String realName;
        private volatile String inboxId;
        private volatile boolean open = true;

        @Override
        public synchronized byte[] challenge() {
            realNode = new RawFrames(toRealNode.get());
            NodeFrame challenge = realNode.answer(realNode.send(RawFrames.hello(0)));
            realName = challenge.getChallenge().getNodeName();
            return challenge.getChallenge().getNonce().toByteArray();
        }

        @Override
        public synchronized String nodeName() {
            return claimedName == null ? realName : claimedName;
        }

        @Override
        public synchronized String authenticate(byte[] publicKey, byte[] signature) {
            NodeFrame answer = realNode.answer(realNode.send(RawFrames.auth(publicKey, signature)));
            if (answer.hasError()) {
                ParleyException refused = Wire.fromWire(answer.getError());
                answers.add(refused);
                throw refused;
            }
            inboxId = Identity.inboxIdOf(publicKey);
            answers.add(inboxId);
            return inboxId;
        }

        @Override
        public String inboxId() {
            return inboxId;
        }

        @Override
        public String epoch() {
            return "relay";
        }

        @Override
        public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
            throw new UnsupportedOperationException("a relay only relays the authentication");
        }

        @Override
        public List<Envelope> query(String topic, long afterSequence, int limit) {
            throw new UnsupportedOperationException("a relay only relays the authentication");
        }

        @Override
        public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                            String name, String idempotencyKey) {
            throw new UnsupportedOperationException("a relay only relays the authentication");
        }

        @Override
        public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
            throw new UnsupportedOperationException("a relay only relays the authentication");
        }

        @Override
        public Subscription subscribe(Map<String, Long> cursors, long initialDemand, Duration heartbeatInterval,
                                      SubscriptionListener listener) {
            throw new UnsupportedOperationException("a relay only relays the authentication");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void onTerminated(Consumer<Throwable> handler) {
            // the relay never ends a session on its own
        }

        @Override
        public synchronized void close() {
            open = false;
            if (realNode != null) {
                realNode.close();
            }
        }
    }
}
