package dev.parley.tck;

import dev.parley.AuthenticationException;
import dev.parley.Authenticator;
import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.internal.util.SharedResource;
import dev.parley.LimitExceededException;
import dev.parley.MessageStream;
import dev.parley.NodeResetException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.TransportException;
import dev.parley.StreamState;
import dev.parley.internal.Failures;
import dev.parley.internal.Heartbeats;
import dev.parley.internal.Topics;
import dev.parley.node.store.Retention;
import dev.parley.internal.util.WireLimits;
import com.google.protobuf.ByteString;
import dev.parley.protocol.AddTopics;
import dev.parley.protocol.Challenge;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.ResumptionTicket;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.Demand;
import dev.parley.spi.Envelope;
import dev.parley.spi.EpochCheck;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.Transport;
import dev.parley.spi.node.NodeLimits;
import dev.parley.testing.FaultProxy;
import dev.parley.spi.node.NodeTls;
import dev.parley.testing.TestCertificates;
import dev.parley.testing.TlsRelay;
import dev.parley.transport.FrameLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract every transport keeps, checked through the SPI against a real node: rules 1 to 6
 * of {@code RULES.md}, one test per rule, named after it. A transport module runs it by extending
 * this class in its tests and naming its scheme:
 * <pre>{@code class GrpcTransportTckTest extends TransportContract {
 *     protected String scheme() { return "grpc"; }
 * }}</pre>
 */
@Timeout(60)
public abstract class TransportContract extends TransportSuite {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long "nothing more arrives" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(300);
    /** The pre-authentication timeout of the nodes of rules 3.10 and 3.11 (a cold JVM's first handshake fits). */
    private static final Duration PRE_AUTHENTICATION = Duration.ofSeconds(3);

    private final List<Transport> transports = new ArrayList<>();

    /** Heartbeat interval the transports under test are configured with. */
    protected Duration heartbeatInterval() {
        return Duration.ofMillis(500);
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(Transport::close);
        transports.clear();
    }

    /** The endpoint clients use to reach the node. */
    protected URI endpoint() {
        return node.endpoint(scheme());
    }

    protected Transport connect(Authenticator who) {
        return connect(who, EpochCheck.ANY);
    }

    protected Transport connect(Authenticator who, EpochCheck epochCheck) {
        return connect(endpoint(), who, epochCheck, trustStore());
    }

    private Transport connect(URI endpoint, Authenticator who, EpochCheck epochCheck, Optional<KeyStore> trust) {
        Transport transport = openTransport(endpoint, who, epochCheck, heartbeatInterval(), trust);
        transports.add(transport);
        return transport;
    }

    /**
     * Raw frame links to {@code endpoint}, for the optional rules of framed transports (3.07 to
     * 3.09) that send what the client never would; {@code null} (the default) for a transport
     * without frames. The suite closes the factory.
     */
    protected FrameLink.Factory frameLinks(URI endpoint) {
        return null;
    }

    /** Whether the transport has raw frame links (the factory asked is closed at once). */
    private boolean framed() {
        try (FrameLink.Factory links = frameLinks(endpoint())) {
            return links != null;
        }
    }

    private RawFrames rawFrames(String rule) {
        return rawFrames(rule, endpoint());
    }

    private RawFrames rawFrames(String rule, URI to) {
        FrameLink.Factory links = frameLinks(to);
        Assumptions.assumeTrue(links != null,
                () -> "optional rule " + rule + " sends raw frames; " + scheme() + " has no frameLinks()");
        return new RawFrames(links);
    }

    /** A new group of {@code owner} (and {@code others}); returns its topic. */
    protected static String newConversation(Transport owner, String... others) {
        return Topics.conversation(join(owner.createConversation(ConversationType.GROUP, List.of(others), "tck")));
    }

    protected static void publish(Transport t, String topic, String... payloads) {
        for (String p : payloads) {
            join(t.publish(topic, bytes(p), p + "-" + System.nanoTime()));
        }
    }

    /** The connection of {@code t} still serves: the first message of {@code topic} gets sequence 1. */
    private static void assertStillServes(Transport t, String topic) {
        assertThat(join(t.publish(topic, bytes("still serving"), "still-serving")).sequence()).isEqualTo(1);
    }

    // 1. Operations

    @Test
    @DisplayName("1.01 publish returns the sequence; query returns the envelope as the node stored it, sender stamped")
    void required_rule1_01_publishThenQueryReturnsTheEnvelopeAsTheNodeStoredIt() {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        Transport a = connect(alice);
        Transport b = connect(bob);
        String topic = newConversation(a, bob.inboxId());
        assertThat(join(a.publish(topic, bytes("hi"), "k1")).sequence()).isEqualTo(1);
        List<Envelope> got = join(b.query(topic, 0, 10));
        assertThat(got).hasSize(1);
        Envelope e = got.get(0);
        assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(e.senderInboxId()).isEqualTo(alice.inboxId());
        assertThat(e.idempotencyKey()).isEqualTo("k1");
        assertThat(e.topic()).isEqualTo(topic);
        assertThat(e.timestampNs()).isPositive();
    }

    @Test
    @DisplayName("1.02 creating a conversation puts a welcome on the welcome topic of each member")
    void required_rule1_02_creatingAConversationWelcomesItsMembers() {
        Identity bob = Identity.generate();
        Transport a = connect(Identity.generate());
        Transport b = connect(bob);
        newConversation(a, bob.inboxId());
        assertThat(join(b.query(Topics.welcome(bob.inboxId()), 0, 10))).hasSize(1);
    }

    @Test
    @DisplayName("1.03 publishing again with the same idempotency key returns the first sequence and stores once")
    void required_rule1_03_publishingAgainWithTheSameKeyStoresOnce() {
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        long first = join(a.publish(topic, bytes("x"), "same-key")).sequence();
        long again = join(a.publish(topic, bytes("x"), "same-key")).sequence();
        assertThat(again).isEqualTo(first);
        assertThat(join(a.query(topic, 0, 10))).hasSize(1);
    }

    @Test
    @DisplayName("1.04 creating a conversation again with the same idempotency key gives back the first, welcomed once")
    void required_rule1_04_creatingAgainWithTheSameKeyGivesBackTheFirstConversation() {
        Identity bob = Identity.generate();
        Transport a = connect(Identity.generate());
        Transport b = connect(bob);
        String first = join(a.createConversation(ConversationType.GROUP, List.of(bob.inboxId()), "tck", "create-1"));
        String again = join(a.createConversation(ConversationType.GROUP, List.of(bob.inboxId()), "tck", "create-1"));
        String other = join(a.createConversation(ConversationType.GROUP, List.of(bob.inboxId()), "tck", "create-2"));
        String byBob = join(b.createConversation(ConversationType.GROUP, List.of(), "tck", "create-1"));
        assertThat(again).isEqualTo(first);
        assertThat(Set.of(first, other, byBob)).as("other keys, another creator: other conversations").hasSize(3);
        assertThat(join(b.query(Topics.welcome(bob.inboxId()), 0, 10))).as("first, other, bob's own").hasSize(3);
    }

    @Test
    @DisplayName("1.05 many publishes in flight from several threads land once each, in per-topic call order, each acknowledged to its own caller")
    void required_rule1_05_manyPublishesInFlightLandOnceInOrderEachAckedToItsCaller() throws Exception {
        Transport a = connect(Identity.generate());
        List<String> topics = List.of(newConversation(a), newConversation(a), newConversation(a));
        int perTopic = 600;
        Map<String, List<CompletableFuture<PublishResult>>> sent = new HashMap<>();
        List<Thread> publishers = new ArrayList<>();
        for (String topic : topics) { // one thread per topic: its calls have an order
            List<CompletableFuture<PublishResult>> results = new ArrayList<>();
            sent.put(topic, results);
            publishers.add(new Thread(() -> {
                for (int i = 0; i < perTopic; i++) {
                    results.add(a.publish(topic, bytes(topic + "#" + i), topic + "-key-" + i));
                }
            }));
        }
        publishers.forEach(Thread::start);
        for (Thread t : publishers) {
            t.join(WAIT.toMillis());
            assertThat(t.isAlive()).as("publisher thread done").isFalse();
        }
        for (String topic : topics) {
            List<Long> sequences = sent.get(topic).stream().map(f -> join(f).sequence()).toList();
            assertThat(sequences).as("acknowledged sequences of %s, in call order", topic)
                    .isEqualTo(LongStream.rangeClosed(1, perTopic).boxed().toList());
            List<Envelope> stored = queryAll(a, topic);
            assertThat(stored).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
                    .as("stored once each, in call order")
                    .isEqualTo(IntStream.range(0, perTopic).mapToObj(i -> topic + "#" + i).toList());
        }
        String topic = topics.get(0);
        List<CompletableFuture<PublishResult>> again = new ArrayList<>();
        for (int i = perTopic - 1; i >= 0; i--) { // the same keys again, all in flight, in another order
            again.add(a.publish(topic, bytes(topic + "#" + i), topic + "-key-" + i));
        }
        for (int i = 0; i < perTopic; i++) {
            assertThat(join(again.get(i)).sequence()).as("the first sequence of key %d", perTopic - 1 - i)
                    .isEqualTo(perTopic - i);
        }
        assertThat(queryAll(a, topic)).hasSize(perTopic);
    }

    @Test
    @DisplayName("1.06 among many publishes in flight, a refused one (not a member, over the quota) fails alone with its typed error")
    void required_rule1_06_aRefusedPublishAmongManyInFlightFailsAlone() {
        replaceNode(b -> b.limits(NodeLimits.builder().maxStoredBytesPerInbox(50_000).build()));
        Identity bob = Identity.generate();
        Transport a = connect(Identity.generate());
        Transport b = connect(bob);
        String own = newConversation(a);
        String bobs = newConversation(b);
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String topic = i == 100 ? bobs : own;
            byte[] payload = i == 200 ? new byte[60_000] : bytes("m" + i);
            results.add(a.publish(topic, payload, "key-" + i));
        }
        assertThat(failureOf(results.get(100))).isInstanceOf(PermissionDeniedException.class);
        assertThat(limitOf(failureOf(results.get(200))).limit()).isEqualTo(LimitExceededException.STORED_BYTES_PER_INBOX);
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (i != 100 && i != 200) {
                sequences.add(join(results.get(i)).sequence());
            }
        }
        assertThat(sequences).as("every other publish, in order").isEqualTo(LongStream.rangeClosed(1, 298).boxed().toList());
        assertThat(queryAll(a, own)).hasSize(298);
        assertThat(join(b.query(bobs, 0, 10))).as("nothing reached the conversation a is no member of").isEmpty();
    }

    @Test
    @DisplayName("1.07 a transport that times out its requests fails each publish the node never answers, retryably, after its request timeout")
    void optional_rule1_07_aPublishTheNodeNeverAnswersFailsAfterItsRequestTimeout() {
        Duration timeout = Duration.ofSeconds(2);
        Duration lateBy = Duration.ofSeconds(1); // the transport's tick (here 250 ms) and a loaded machine's lag
        try (UnansweringNode silent = UnansweringNode.start(scheme(), node)) {
            Transport t = openTransport(silent.address(), Identity.generate(), EpochCheck.ANY, Duration.ofSeconds(5),
                    timeout, trustStore());
            transports.add(t);
            Assumptions.assumeTrue(t.timesOutRequests(), () -> scheme() + " leaves request timeouts to its caller");
            String topic = newConversation(t);
            List<CompletableFuture<PublishResult>> publishes = new CopyOnWriteArrayList<>();
            long[] sentAt = new long[60];
            long[] failedAt = new long[60];
            IntConsumer publishOne = i -> {
                sentAt[i] = System.nanoTime();
                publishes.add(t.publish(topic, bytes("m" + i), "key-" + i)
                        .whenComplete((r, e) -> failedAt[i] = System.nanoTime()));
            };
            IntStream.range(0, 50).forEach(publishOne);
            // half a timeout later, ten more: they wait behind a full window, then share a frame
            join(CompletableFuture.runAsync(() -> IntStream.range(50, 60).forEach(publishOne),
                    CompletableFuture.delayedExecutor(timeout.toMillis() / 2, TimeUnit.MILLISECONDS)));
            for (int i = 0; i < publishes.size(); i++) {
                assertThat(failureOf(publishes.get(i))).isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.isRetryable()).isTrue());
                Duration took = Duration.ofNanos(failedAt[i] - sentAt[i]);
                assertThat(took).as("publish %d failed after", i).isGreaterThanOrEqualTo(timeout)
                        .isLessThan(timeout.plus(lateBy));
            }
            assertThat(silent.publishesTaken()).as("the publishes reached the node").isPositive();
            assertThat(join(t.query(topic, 0, 10))).as("the connection still serves").isEmpty();
        }
    }

    @Test
    @DisplayName("1.08 the full client's sendAsync to a node that never answers fails with a retryable TransportException after its request timeout")
    void required_rule1_08_aSendTheNodeNeverAnswersFailsRetryably() {
        Duration timeout = Duration.ofSeconds(1);
        try (UnansweringNode silent = UnansweringNode.start(scheme(), node);
             Client client = Client.create(clientOptions(silent.address(), Identity.generate())
                     .heartbeatInterval(Duration.ofSeconds(5)).requestTimeout(timeout).build())) {
            Group group = client.conversations().newGroup(List.of());
            long start = System.nanoTime();
            CompletableFuture<String> sent = group.sendAsync("never answered");
            assertThat(failureOf(sent)).isInstanceOfSatisfying(TransportException.class,
                    e -> assertThat(e.isRetryable()).isTrue());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("each attempt waited its request timeout").isGreaterThanOrEqualTo(timeout)
                    .as("three attempts, each bounded").isLessThan(timeout.multipliedBy(3).plus(Duration.ofSeconds(3)));
            assertThat(silent.publishesTaken()).isPositive();
        }
    }

    /** Every envelope of {@code topic}, page by page. */
    private static List<Envelope> queryAll(Transport t, String topic) {
        List<Envelope> all = new ArrayList<>();
        while (true) {
            List<Envelope> page = join(t.query(topic, all.isEmpty() ? 0 : all.get(all.size() - 1).sequence(), 1000));
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
        }
    }

    // 2. Subscriptions and flow control

    @Test
    @DisplayName("2.01 a subscription replays what follows its cursor, then goes live, in order")
    void required_rule2_01_replaysAfterTheCursorThenGoesLiveInOrder() {
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        publish(a, topic, "1", "2", "3", "4");
        TckListener listener = new TckListener();
        join(a.subscribe(Map.of(topic, 2L), 1000, listener));
        publish(a, topic, "5", "6");
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 4);
        assertThat(listener.payloads()).containsExactly("3", "4", "5", "6");
        assertThat(listener.sequences()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(listener.overlaps.get()).isZero();
    }

    @Test
    @DisplayName("2.02 cancel closes the subscription once, and nothing is delivered after it")
    void required_rule2_02_cancelClosesTheSubscriptionOnceAndDeliveryStops() {
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        TckListener listener = new TckListener();
        Subscription sub = join(a.subscribe(Map.of(topic, 0L), 1000, listener));
        publish(a, topic, "before");
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 1);
        sub.cancel();
        await().atMost(WAIT).until(() -> listener.closed.get() == 1);
        publish(a, topic, "after");
        await().during(QUIET).atMost(WAIT).until(() -> listener.envelopes.size() == 1 && listener.closed.get() == 1);
        assertThat(listener.errors).isEmpty();
    }

    @Test
    @DisplayName("2.03 topics are added (LATEST resolved by the node) and removed on a live subscription")
    void required_rule2_03_addsAndRemovesTopicsWithoutRestarting() {
        Transport a = connect(Identity.generate());
        String first = newConversation(a);
        String second = newConversation(a);
        publish(a, second, "old");
        TckListener listener = new TckListener();
        Subscription sub = join(a.subscribe(Map.of(first, 0L), 1000, listener));
        Map<String, Long> resolved = join(sub.addTopics(Map.of(second, Topics.LATEST)));
        assertThat(resolved).containsEntry(second, 1L);
        publish(a, second, "new");
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 1);
        sub.removeTopics(List.of(second));
        publish(a, second, "ignored");
        publish(a, first, "marker");
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 2);
        assertThat(listener.payloads()).containsExactly("new", "marker");
        assertThat(listener.errors).isEmpty();
    }

    @Test
    @DisplayName("2.04 a subscription never delivers more than was requested")
    void required_rule2_04_neverDeliversMoreThanRequested() {
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        for (int i = 0; i < 50; i++) {
            publish(a, topic, "m" + i);
        }
        TckListener listener = new TckListener();
        Subscription sub = join(a.subscribe(Map.of(topic, 0L), 10, listener));
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 10);
        publish(a, topic, "more");
        await().during(QUIET).atMost(WAIT).until(() -> listener.envelopes.size() == 10);
        sub.request(5);
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 15);
        await().during(QUIET).atMost(WAIT).until(() -> listener.envelopes.size() == 15);
        sub.request(100);
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 51);
        assertThat(listener.sequences()).isEqualTo(LongStream.rangeClosed(1, 51).boxed().toList());
    }

    @Test
    @DisplayName("2.05 large messages near the payload limit sync and replay in full, in order")
    void required_rule2_05_largeMessagesSyncAndReplayInFull() {
        Identity bob = Identity.generate();
        Identity carol = Identity.generate();
        List<String> sent = new ArrayList<>();
        try (Client alice = client(Identity.generate())) {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId(), carol.inboxId()));
            for (int i = 0; i < 6; i++) { // ~800 KB payloads: under the payload limit, together over a frame
                String text = Character.toString('a' + i).repeat(800_000);
                group.send(text);
                sent.add(text);
            }
            try (Client bobClient = client(bob)) {
                bobClient.conversations().sync();
                assertThat(bobClient.conversations().getConversationById(group.id()).orElseThrow().messages())
                        .extracting(DecodedMessage::content).containsExactlyElementsOf(sent);
            }
            List<Object> streamed = new CopyOnWriteArrayList<>();
            try (Client carolClient = client(carol); MessageStream<DecodedMessage> stream = carolClient.conversations()
                    .streamAllMessages(StreamOptions.<DecodedMessage>builder().disableSync(true)
                            .onValue(m -> streamed.add(m.content())).build())) {
                // a new client: the welcome arrives on the stream, the conversation is replayed from its start
                await().atMost(WAIT).until(() -> streamed.size() >= sent.size());
            }
            assertThat(streamed).containsExactlyElementsOf(sent);
        }
    }

    @Test
    @DisplayName("2.06 a stream of more topics than one subscription may hold stays one stream (welcome spam)")
    void required_rule2_06_moreTopicsThanOneSubscriptionMayHoldStayOneStream() {
        int limit = 50;
        replaceNodeWith(NodeLimits.builder().maxTopicsPerSubscription(limit).build());
        int total = 3 * limit + 1; // the victim's streams follow more than three subscriptions' worth
        List<Conversation> welcomed = new CopyOnWriteArrayList<>();
        List<Object> received = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> spam = new ArrayList<>();
        try (Client victim = client(Identity.generate()); Client mallory = client(Identity.generate());
             Client trudy = client(Identity.generate())) {
            List<Group> groups = new ArrayList<>();
            Runnable addTheVictim = () -> {
                Group g = (groups.size() % 2 == 0 ? mallory : trudy).conversations().newGroup(List.of(victim.inboxId()));
                groups.add(g);
                spam.add(g.id());
            };
            try (MessageStream<Conversation> conversations = victim.conversations().stream(StreamOptions
                    .<Conversation>builder().onValue(welcomed::add).onError(errors::add).build())) {
                while (groups.size() < total / 2) { // before the stream starts
                    addTheVictim.run();
                }
                try (MessageStream<DecodedMessage> all = victim.conversations().streamAllMessages(StreamOptions
                        .<DecodedMessage>builder().onValue(m -> received.add(m.content())).onError(errors::add).build())) {
                    while (groups.size() < total) { // while it runs
                        addTheVictim.run();
                    }
                    Group first = groups.get(0);
                    Group last = groups.get(total - 1);
                    for (int i = 1; i <= 3; i++) {
                        first.send("first:" + i);
                        last.send("last:" + i);
                    }
                    last.send("end");
                    await().atMost(WAIT).until(() -> received.contains("end"));
                    assertThat(received).as("exactly once, in order per conversation")
                            .containsExactlyInAnyOrder("first:1", "first:2", "first:3", "last:1", "last:2", "last:3", "end");
                    assertThat(received.stream().filter(m -> ((String) m).startsWith("first")).toList())
                            .containsExactly("first:1", "first:2", "first:3");
                    assertThat(received.stream().filter(m -> ((String) m).startsWith("last")).toList())
                            .containsExactly("last:1", "last:2", "last:3");
                    assertThat(all.state()).isEqualTo(StreamState.LIVE);
                }
                await().atMost(WAIT).until(() -> welcomed.size() >= total);
                assertThat(welcomed).extracting(Conversation::id).containsExactlyInAnyOrderElementsOf(spam);
                assertThat(conversations.state()).isEqualTo(StreamState.LIVE);
            }
            victim.conversations().sync();
            assertThat(victim.conversations().list()).extracting(Conversation::id)
                    .containsExactlyInAnyOrderElementsOf(spam);
        }
        assertThat(errors).isEmpty();
    }

    /** A full client of {@code who} straight to the node. */
    private Client client(Identity who) {
        return Client.create(clientOptions(endpoint(), who).heartbeatInterval(heartbeatInterval()).requestTimeout(Duration.ofSeconds(10)).build());
    }

    // 3. Errors and security

    @Test
    @DisplayName("3.01 a malformed request fails with ProtocolException and the connection lives on")
    void required_rule3_01_malformedRequestsFailWithProtocolException() {
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        assertThat(failureOf(a.query("no-such-kind/x", 0, 1))).isInstanceOf(ProtocolException.class);
        assertThat(failureOf(a.publish(topic, new byte[(1 << 20) + 1], "big"))).isInstanceOf(ProtocolException.class);
        assertThat(failureOf(a.createConversation(ConversationType.DM, List.of("not-an-inbox"), "")))
                .isInstanceOf(ProtocolException.class);
        assertStillServes(a, topic);
    }

    @Test
    @DisplayName("3.02 a topic the inbox may not use fails with PermissionDeniedException and the connection lives on")
    void required_rule3_02_forbiddenTopicsFailWithPermissionDenied() {
        Identity alice = Identity.generate();
        Transport a = connect(alice);
        Transport mallory = connect(Identity.generate());
        String topic = newConversation(a);
        assertThat(failureOf(mallory.query(topic, 0, 1))).isInstanceOf(PermissionDeniedException.class);
        assertThat(failureOf(mallory.publish(topic, bytes("x"), "k"))).isInstanceOf(PermissionDeniedException.class);
        assertThat(failureOf(mallory.subscribe(Map.of(Topics.preferences(alice.inboxId()), 0L), 1, new TckListener())))
                .isInstanceOf(PermissionDeniedException.class);
        Subscription sub = join(a.subscribe(Map.of(topic, 0L), 1, new TckListener()));
        assertThat(failureOf(sub.addTopics(Map.of(Topics.welcome(Identity.generate().inboxId()), 0L))))
                .isInstanceOf(PermissionDeniedException.class);
        assertStillServes(a, topic);
        assertStillServes(mallory, newConversation(mallory));
    }

    @Test
    @DisplayName("3.03 more than 20,000 topics on a subscription fails with a clear ProtocolException")
    void required_rule3_03_tooManyTopicsIsAClearError() {
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        Map<String, Long> tooMany = new HashMap<>();
        for (int i = 0; i <= 20_000; i++) {
            tooMany.put(Topics.conversation(String.format("%032x", i)), 0L);
        }
        assertThat(failureOf(a.subscribe(tooMany, 1, new TckListener()))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("at most");
        Subscription sub = join(a.subscribe(Map.of(topic, 0L), 1, new TckListener()));
        tooMany.remove(tooMany.keySet().iterator().next());
        assertThat(failureOf(sub.addTopics(tooMany))).isInstanceOf(ProtocolException.class);
        assertStillServes(a, topic);
    }

    @Test
    @DisplayName("3.04 a bad signature fails authentication and leaves no session on the node")
    void required_rule3_04_aBadSignatureFailsAuthentication() {
        Identity real = Identity.generate();
        Identity other = Identity.generate();
        Authenticator forger = new IdentityAuthenticator(real) {
            @Override
            public byte[] sign(byte[] message) {
                return other.sign(message);
            }
        };
        assertThatThrownBy(() -> connect(forger)).isInstanceOf(AuthenticationException.class);
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
    }

    @Test
    @DisplayName("3.06 every connection's node epoch goes through the epoch check; a refused one is not used")
    void required_rule3_06_theNodesEpochIsCheckedOnEveryConnection() {
        List<String> checked = new CopyOnWriteArrayList<>();
        Transport seen = connect(Identity.generate(), checked::add);
        join(seen.createConversation(ConversationType.GROUP, List.of(), "tck"));
        assertThat(checked).isNotEmpty().containsOnly(node.epoch());

        String gone = "an-epoch-this-node-never-had";
        assertThatThrownBy(() -> join(connect(Identity.generate(), epoch -> {
            throw new NodeResetException(gone, epoch);
        }).createConversation(ConversationType.GROUP, List.of(), "tck")))
                .satisfies(e -> assertThat(Failures.unwrap(e)).isInstanceOfSatisfying(NodeResetException.class,
                        reset -> assertThat(reset.nodeEpoch()).isEqualTo(node.epoch())));
    }

    @Test
    @DisplayName("3.05 (optional, sockets) garbage on the socket closes that connection; the node stays up")
    void optional_rule3_05_garbageOnTheSocketClosesThatConnectionAndTheNodeStaysUp() throws IOException {
        Assumptions.assumeTrue(listenAddress() != null,
                () -> "optional rule 3.05 needs a socket to send garbage to; " + scheme() + " has none");
        URI target = endpoint();
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        try (Socket raw = new Socket(target.getHost(), target.getPort())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(garbage);
            raw.getOutputStream().flush();
            InputStream in = raw.getInputStream();
            byte[] sink = new byte[4096];
            // the node answers with an error or nothing, then closes: read until end of stream
            try {
                while (in.read(sink) >= 0) {
                    // drain
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
        }
        Transport a = connect(Identity.generate());
        assertStillServes(a, newConversation(a));
    }

    @Test
    @DisplayName("3.07 (optional, frames) a demand that is not positive ends that subscription with ProtocolException")
    void optional_rule3_07_aDemandThatIsNotPositiveEndsThatSubscription() {
        try (RawFrames raw = rawFrames("3.07")) {
            Identity me = Identity.generate();
            raw.authenticate(me);
            String topic = Topics.welcome(me.inboxId());
            for (long n : new long[] {0, -1, Long.MIN_VALUE}) {
                long sub = raw.send(RawFrames.subscribe(topic, 0));
                assertThat(raw.answer(sub).hasSubscribed()).isTrue();
                raw.send(sub, ClientFrame.newBuilder().setDemand(Demand.newBuilder().setN(n)));
                assertThat(raw.error(sub)).isInstanceOf(ProtocolException.class).hasMessageContaining("demand");
                // the node agrees the subscription is over: steering it fails
                assertThat(raw.error(raw.send(addTopics(sub, topic)))).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("no subscription");
            }
            assertThat(raw.answer(raw.send(RawFrames.query(topic))).hasQueryResult()).isTrue();
        }
    }

    @Test
    @DisplayName("3.08 (optional, frames) a heartbeat interval out of range is refused, leaving nothing behind")
    void optional_rule3_08_heartbeatIntervalsOutOfRangeAreRefused() {
        try (RawFrames raw = rawFrames("3.08")) { // in Hello: the session is refused
            assertThat(raw.error(raw.send(RawFrames.hello(Long.MAX_VALUE)))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("heartbeat");
            join(raw.closed);
        }
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
        try (RawFrames raw = rawFrames("3.08")) { // in Subscribe: that subscription is refused
            Identity me = Identity.generate();
            raw.authenticate(me);
            String topic = Topics.welcome(me.inboxId());
            for (long ms : new long[] {Long.MAX_VALUE, Heartbeats.MAX.toMillis() + 1, -1}) {
                long sub = raw.send(RawFrames.subscribe(topic, ms));
                assertThat(raw.error(sub)).isInstanceOf(ProtocolException.class).hasMessageContaining("heartbeat");
                assertThat(raw.error(raw.send(addTopics(sub, topic)))).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("no subscription");
                assertThat(node.subscriptionCount()).as("subscriptions on the node").isZero();
            }
            long fine = raw.send(RawFrames.subscribe(topic, Heartbeats.MAX.toMillis()));
            assertThat(raw.answer(fine).hasSubscribed()).isTrue();
            assertThat(node.connectionCount()).isEqualTo(1);
            assertThat(node.subscriptionCount()).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> node.connectionCount() == 0 && node.subscriptionCount() == 0);
    }

    @Test
    @DisplayName("3.09 (optional, frames) an authenticated session refuses a second authentication")
    void optional_rule3_09_aSecondAuthenticationIsRefused() {
        try (RawFrames raw = rawFrames("3.09")) {
            Identity first = Identity.generate();
            Identity second = Identity.generate();
            raw.authenticate(first);
            assertThat(raw.error(raw.send(RawFrames.hello(0)))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("already authenticated");
            byte[] signature = second.sign(Authenticator.challengeMessage(node.name(), new byte[0], new byte[32]));
            assertThat(raw.error(raw.send(RawFrames.auth(second, signature)))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("already authenticated");
            // still the first inbox, and only it
            assertThat(raw.answer(raw.send(RawFrames.query(Topics.welcome(first.inboxId())))).hasQueryResult()).isTrue();
            assertThat(raw.error(raw.send(RawFrames.query(Topics.welcome(second.inboxId())))))
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }

    /** The limit a failure was refused with: a {@link LimitExceededException}, however the transport wrapped it. */
    private static LimitExceededException limitOf(Throwable failure) {
        assertThat(failure).as("expected a failure").isNotNull();
        Throwable cause = Failures.unwrap(failure);
        assertThat(cause).isInstanceOf(LimitExceededException.class);
        return (LimitExceededException) cause;
    }

    @Test
    @DisplayName("3.10 an inbox beyond its sessions is refused with a LimitExceededException until one ends")
    void required_rule3_10_anInboxBeyondItsSessionsIsRefusedUntilOneEnds() {
        replaceNode(b -> b.limits(NodeLimits.builder().maxSessionsPerInbox(2).build()));
        Identity alice = Identity.generate();
        Transport first = connect(alice);
        Transport second = connect(alice);
        connect(Identity.generate()); // another inbox is not affected

        LimitExceededException refused = limitOf(catchThrowable(() -> connect(alice)));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.SESSIONS_PER_INBOX);
        assertThat(refused.isRetryable()).isFalse();
        assertStillServes(second, newConversation(second));

        first.close();
        await().atMost(WAIT).until(() -> node.connectionCount() == 2);
        assertStillServes(connect(alice), newConversation(second));
    }

    @Test
    @DisplayName("3.11 a session beyond its subscriptions is refused with a LimitExceededException, registering nothing")
    void required_rule3_11_aSessionBeyondItsSubscriptionsIsRefusedRegisteringNothing() {
        replaceNode(b -> b.limits(NodeLimits.builder().maxSubscriptionsPerSession(2).build()));
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        Subscription one = join(a.subscribe(Map.of(topic, 0L), 10, new TckListener()));
        join(a.subscribe(Map.of(topic, 0L), 10, new TckListener()));

        LimitExceededException refused = limitOf(failureOf(a.subscribe(Map.of(topic, 0L), 10, new TckListener())));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.SUBSCRIPTIONS_PER_SESSION);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(node.subscriptionCount()).isEqualTo(2);
        assertStillServes(a, newConversation(a));

        one.cancel();
        await().atMost(WAIT).until(() -> node.subscriptionCount() == 1);
        TckListener third = new TckListener();
        join(a.subscribe(Map.of(topic, 0L), 10, third));
        publish(a, topic, "after");
        await().atMost(WAIT).until(() -> third.envelopes.size() == 1);
        assertThat(node.subscriptionCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("3.12 conversations created beyond an inbox's rate are refused with a retryable LimitExceededException")
    void required_rule3_12_conversationsBeyondTheRateAreRefusedRetryably() {
        replaceNode(b -> b.limits(NodeLimits.builder().conversationsPerInboxPerMinute(3).build()));
        Transport a = connect(Identity.generate());
        for (int i = 0; i < 3; i++) {
            newConversation(a);
        }
        LimitExceededException refused = limitOf(failureOf(a.createConversation(ConversationType.GROUP, List.of(), "")));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.CONVERSATIONS_PER_MINUTE);
        assertThat(refused.isRetryable()).isTrue();
        newConversation(connect(Identity.generate())); // another inbox has its own rate
    }

    @Test
    @DisplayName("3.13 publishing beyond an inbox's stored bytes is refused with a LimitExceededException until retention frees some")
    void required_rule3_13_publishingBeyondTheStoredBytesIsRefusedUntilRetentionFreesSome() {
        replaceNode(b -> b.limits(NodeLimits.builder().maxStoredBytesPerInbox(1_000).build())
                .retention(Retention.KEEP_ALL.withMaxPerTopic(1)).retentionInterval(Duration.ofMillis(50)));
        Transport a = connect(Identity.generate());
        String first = newConversation(a);
        String second = newConversation(a);
        join(a.publish(first, new byte[600], "a1"));

        LimitExceededException refused = limitOf(failureOf(a.publish(second, new byte[600], "b1")));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.STORED_BYTES_PER_INBOX);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(join(a.query(second, 0, 10))).isEmpty();
        Transport b = connect(Identity.generate());
        join(b.publish(newConversation(b), new byte[900], "other")); // another inbox has its own quota

        join(a.publish(first, new byte[300], "a2")); // retention keeps one per topic: it frees a1's 600 bytes
        await().atMost(WAIT).until(() -> join(a.query(first, 0, 10)).size() == 1);
        assertThat(join(a.publish(second, new byte[600], "b1")).sequence()).isEqualTo(1);
    }

    @Test
    @DisplayName("3.14 (optional, sockets) a socket that sends nothing is closed when the pre-authentication time is over")
    void optional_rule3_14_aSilentSocketIsClosedWhenThePreAuthenticationTimeIsOver() throws IOException {
        Assumptions.assumeTrue(listenAddress() != null,
                () -> "optional rule 3.14 needs a socket to keep silent; " + scheme() + " has none");
        replaceNodeWith(NodeLimits.builder().preAuthenticationTimeout(PRE_AUTHENTICATION).build());
        URI target = endpoint();
        try (Socket raw = new Socket(target.getHost(), target.getPort())) {
            raw.setSoTimeout((int) WAIT.toMillis()); // a read that times out fails the test
            readUntilClosed(raw.getInputStream());
        }
        assertThat(node.connectionCount()).isZero();
        Transport a = connect(Identity.generate());
        assertStillServes(a, newConversation(a));
    }

    @Test
    @DisplayName("3.15 (optional, frames) a session that does not authenticate in time is closed; one that did stays")
    void optional_rule3_15_aSessionThatDoesNotAuthenticateInTimeIsClosed() {
        replaceNodeWith(NodeLimits.builder().preAuthenticationTimeout(PRE_AUTHENTICATION).build());
        try (RawFrames slow = rawFrames("3.15")) {
            assertThat(slow.answer(slow.send(RawFrames.hello(0))).hasChallenge()).isTrue(); // and never answers it
            try (RawFrames prompt = rawFrames("3.15")) { // accepted after slow: its time is over after slow's
                Identity me = Identity.generate();
                prompt.authenticate(me);
                assertThat(join(slow.closed)).isInstanceOf(TransportException.class)
                        .matches(e -> ((TransportException) e).isRetryable(), "retryable");
                await().atMost(WAIT).until(() -> node.connectionCount() == 1);
                await().during(PRE_AUTHENTICATION).atMost(WAIT)
                        .until(() -> !prompt.closed.isDone() && node.connectionCount() == 1);
                assertThat(prompt.answer(prompt.send(RawFrames.query(Topics.welcome(me.inboxId())))).hasQueryResult())
                        .isTrue();
            }
        }
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
    }

    @Test
    @DisplayName("3.17 a signature made for another node or over another channel fails authentication")
    void required_rule3_17_aSignatureForAnotherNodeOrChannelFailsAuthentication() {
        Identity who = Identity.generate();
        assertThatThrownBy(() -> connect(MisdirectedSigner.forNode(who, node.name() + "-elsewhere")))
                .isInstanceOf(AuthenticationException.class);
        byte[] anotherChannel = new byte[32];
        Arrays.fill(anotherChannel, (byte) 7);
        assertThatThrownBy(() -> connect(MisdirectedSigner.forChannel(who, anotherChannel)))
                .isInstanceOf(AuthenticationException.class);
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
        connect(who); // signing what it is given, the same identity gets in
    }

    @Test
    @DisplayName("3.18 (optional, TLS) a certificate the client does not trust, or an expired one, fails for good, saying why")
    void optional_rule3_18_anUntrustedOrExpiredCertificateFailsForGood() {
        assumeTls("3.18");
        Identity who = Identity.generate();
        KeyStore anotherCa = TestCertificates.authority("another CA").trustStore();
        assertRefused(() -> connect(endpoint(), who, EpochCheck.ANY, Optional.of(anotherCa)), "untrusted");
        assertRefused(() -> connect(endpoint(), who, EpochCheck.ANY, Optional.empty()), "untrusted"); // JDK default
        replaceNodeWithAnEmptyOne(TEST_CA.issueExpired("127.0.0.1", "localhost"));
        assertRefused(() -> connect(who), "expired");
        assertThat(node.connectionCount()).isZero();
    }

    @Test
    @DisplayName("3.19 (optional, TLS) a certificate for another host name fails for good, saying why")
    void optional_rule3_19_aCertificateForAnotherHostFailsForGood() {
        assumeTls("3.19");
        replaceNodeWithAnEmptyOne(TEST_CA.issue("node.example"));
        assertRefused(() -> connect(Identity.generate()), "hostname mismatch");
        assertThat(node.connectionCount()).isZero();
    }

    @Test
    @DisplayName("3.20 (optional, TLS) a stream whose node turns up with a certificate it does not trust fails instead of retrying")
    void optional_rule3_20_aStreamFailsInsteadOfRetryingOnAnUntrustedCertificate() {
        assumeTls("3.20");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        try (Client client = client(Identity.generate()); MessageStream<DecodedMessage> stream = client.conversations()
                .streamAllMessages(StreamOptions.<DecodedMessage>builder().onError(errors::add)
                        .onFail(() -> failed.complete(null)).build())) {
            replaceNodeWithAnEmptyOne(TestCertificates.authority("impostor CA").issue("127.0.0.1", "localhost"));
            join(failed);
            Throwable last = errors.get(errors.size() - 1);
            assertThat(last).isInstanceOf(StreamFailedException.class);
            assertThat(last.getCause()).isInstanceOfSatisfying(TransportException.class, e -> {
                assertThat(e.isRetryable()).isFalse();
                assertThat(e.getMessage()).contains("untrusted");
            });
        }
    }

    @Test
    @DisplayName("3.21 (optional, TLS) clients trusting a trust store or the node's pinned certificate stream end to end")
    void optional_rule3_21_clientsTrustingAStoreOrAPinnedCertificateStream(@TempDir Path dir) throws Exception {
        assumeTls("3.21");
        Identity bob = Identity.generate();
        Path pinned = Files.write(dir.resolve("node.pem"), NODE_CERTIFICATE.certificatePem());
        List<Object> streamed = new CopyOnWriteArrayList<>();
        try (Client alice = Client.create(ClientOptions.builder().endpoint(endpoint()).identity(Identity.generate())
                .trustStore(TEST_CA.trustStore()).heartbeatInterval(heartbeatInterval()).build());
             Client bobClient = Client.create(ClientOptions.builder().endpoint(endpoint()).identity(bob)
                     .trustCertificates(pinned).heartbeatInterval(heartbeatInterval()).build());
             MessageStream<DecodedMessage> stream = bobClient.conversations().streamAllMessages(
                     StreamOptions.<DecodedMessage>builder().onValue(m -> streamed.add(m.content())).build())) {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            for (int i = 1; i <= 3; i++) {
                group.send("over TLS " + i);
            }
            await().atMost(WAIT).until(() -> streamed.size() >= 3);
            assertThat(streamed).containsExactly("over TLS 1", "over TLS 2", "over TLS 3");
        }
    }

    @Test
    @DisplayName("3.22 (optional, TLS) a relay terminating TLS with a certificate the client trusts cannot authenticate at the node")
    void optional_rule3_22_aRelayedAuthenticationFailsAtTheNode() {
        assumeTls("3.22");
        TestCertificates.Issued relayCertificate = TEST_CA.issue("127.0.0.1", "localhost"); // trusted, yet not the node's
        try (TlsRelay relay = TlsRelay.start(relayCertificate.serverContext(), TEST_CA.clientContext(), endpoint())) {
            URI throughRelay = relay.uri(scheme());
            assertThatThrownBy(() -> connect(throughRelay, Identity.generate(), EpochCheck.ANY, trustStore()))
                    .isInstanceOf(AuthenticationException.class);
            await().atMost(WAIT).until(() -> node.connectionCount() == 0);
        }
    }

    @Test
    @DisplayName("3.23 (optional, framed) a node relaying another node's challenge cannot sign its clients in there")
    void optional_rule3_23_aNodeRelayingAnotherNodesChallengeCannotSignItsClientsInThere() {
        Assumptions.assumeTrue(framed(), () -> "optional rule 3.23 relays raw frames; " + scheme() + " has no frameLinks()");
        // under its own name: the client signs for that name, the real node checks its own
        try (RelayingNode relay = RelayingNode.start(scheme(), "relay-" + node.name(), () -> frameLinks(endpoint()),
                tls() ? relayTls() : null)) {
            assertThatThrownBy(() -> connect(relay.address(), Identity.generate(), EpochCheck.ANY, trustStore()))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(relay.realNodeAnswers()).singleElement().isInstanceOf(AuthenticationException.class);
        }
        if (tls()) { // under the real node's name: over TLS the client signs for the relay's certificate
            try (RelayingNode relay = RelayingNode.start(scheme(), null, () -> frameLinks(endpoint()), relayTls())) {
                assertThatThrownBy(() -> connect(relay.address(), Identity.generate(), EpochCheck.ANY, trustStore()))
                        .isInstanceOf(AuthenticationException.class);
                assertThat(relay.realNodeAnswers()).singleElement().isInstanceOf(AuthenticationException.class);
            }
        }
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
    }

    /** Reads until the peer closes (end of stream or a reset). */
    private static void readUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // drain
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }

    @Test
    @DisplayName("3.16 a transport reports the subscription limits its node advertised")
    void required_rule3_16_theNodesSubscriptionLimitsAreReported() {
        replaceNodeWith(NodeLimits.builder().maxTopicsPerSubscription(50).maxSubscriptionsPerSession(7).build());
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        assertThat(a.subscriptionLimits()).isEqualTo(new SubscriptionLimits(50, 7));
        Map<String, Long> tooMany = new HashMap<>();
        for (int i = 0; i <= 50; i++) {
            tooMany.put(Topics.conversation(String.format("%032x", i)), 0L);
        }
        assertThat(failureOf(a.subscribe(tooMany, 1, new TckListener()))).as("what it advertised, it enforces")
                .isInstanceOf(ProtocolException.class).hasMessageContaining("at most 50");
        assertStillServes(a, topic);
    }

    @Test
    @DisplayName("3.24 a connection the node dropped comes back with its resumption ticket, signing nothing; a restarted node's tickets fall back to a signature")
    void required_rule3_24_aDroppedConnectionResumesWithoutASignature() {
        CountingSigner who = new CountingSigner(Identity.generate());
        Transport a = connect(who);
        assertThat(who.signatures()).isEqualTo(1);
        for (int drop = 0; drop < 3; drop++) {
            node.dropConnections(who.inboxId());
            awaitServing(a, who);
        }
        assertThat(who.signatures()).as("resumed with tickets, not signed").isEqualTo(1);
        await().atMost(WAIT).until(() -> node.connectionCount() == 1);

        replaceNodeWithAnEmptyOne(); // a new node process: the old tickets mean nothing to it
        awaitServing(a, who);
        assertThat(who.signatures()).as("fell back to a signature, silently").isEqualTo(2);
        node.dropConnections(who.inboxId());
        awaitServing(a, who);
        assertThat(who.signatures()).as("the new node's ticket resumes").isEqualTo(2);
    }

    /** Waits until {@code t} answers a query as {@code who} again (the first operation after a drop may still fail). */
    private static void awaitServing(Transport t, Authenticator who) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                assertThat(join(t.query(Topics.welcome(who.inboxId()), 0, 1))).isEmpty());
    }

    @Test
    @DisplayName("3.25 (optional, frames) a made-up, tampered or misused ticket is refused with a reason and a fresh challenge; a real one resumes under every session limit")
    void optional_rule3_25_aForgedTicketIsRefusedARealOneResumesUnderTheLimits() {
        replaceNodeWith(NodeLimits.builder().maxSessionsPerInbox(2).build());
        Identity who = Identity.generate();
        try (RawFrames first = rawFrames("3.25")) {
            ResumptionTicket ticket = first.authenticate(who).getResumption();
            assertThat(ticket.getTicket().isEmpty()).as("the node issues a ticket").isFalse();
            byte[] forged = ticket.getTicket().toByteArray();
            forged[forged.length - 1] ^= 1;
            ResumptionTicket tampered = ticket.toBuilder().setTicket(ByteString.copyFrom(forged)).build();
            ResumptionTicket madeUp = ticket.toBuilder().setTicket(ByteString.copyFrom(new byte[81])).build();
            ResumptionTicket wrongSecret = ticket.toBuilder().setSecret(ByteString.copyFrom(new byte[32])).build();
            try (RawFrames other = rawFrames("3.25")) {
                Challenge challenge = RawFrames.challenge(other.answer(other.send(RawFrames.hello(0))));
                for (ResumptionTicket bad : List.of(tampered, madeUp, wrongSecret)) {
                    challenge = RawFrames.challenge(other.answer(other.resume(challenge, bad)));
                    assertThat(challenge.getResumptionRefused()).as("says why").isNotEmpty();
                }
                other.sign(who, challenge); // the same link then signs in
                if (!tls()) {
                    try (RawFrames inHello = rawFrames("3.25")) {
                        assertThat(RawFrames.challenge(inHello.answer(inHello.resumeInHello(madeUp)))
                                .getResumptionRefused()).isNotEmpty();
                    }
                }
                // the real ticket, but the inbox has its two sessions open: every limit applies to resumptions
                try (RawFrames third = rawFrames("3.25")) {
                    assertThat(limitOf(third.error(resume(third, ticket))).limit())
                            .isEqualTo(LimitExceededException.SESSIONS_PER_INBOX);
                }
            }
        }
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
        ResumptionTicket closedSessions = ticketOf(who);
        try (RawFrames resumed = rawFrames("3.25")) { // a ticket outlives its session, for its lifetime
            NodeFrame ok = resumed.answer(resume(resumed, closedSessions));
            assertThat(ok.hasAuthOk()).as("got " + ok.getBodyCase()).isTrue();
            assertThat(ok.getAuthOk().getResumed()).isTrue();
            assertThat(ok.getAuthOk().getInboxId()).isEqualTo(who.inboxId());
            assertThat(resumed.answer(resumed.send(RawFrames.query(Topics.welcome(who.inboxId())))).hasQueryResult())
                    .isTrue();
        }
    }

    /** A ticket of {@code who}'s, from a session that signed in and closed. */
    private ResumptionTicket ticketOf(Identity who) {
        try (RawFrames signer = rawFrames("3.25")) {
            return signer.authenticate(who).getResumption();
        } finally {
            await().atMost(WAIT).until(() -> node.connectionCount() == 0);
        }
    }

    /** Resumes with {@code ticket} as a client does: in the Hello without TLS, answering the challenge over TLS. */
    private long resume(RawFrames raw, ResumptionTicket ticket) {
        return tls() ? raw.resume(RawFrames.challenge(raw.answer(raw.send(RawFrames.hello(0)))), ticket)
                : raw.resumeInHello(ticket);
    }

    /** A certificate of the suite's CA for the relay: clients trust it, yet it is not the node's. */
    private static NodeTls relayTls() {
        TestCertificates.Issued relay = TEST_CA.issue("127.0.0.1", "localhost");
        return NodeTls.fromPem(relay.chainPem(), relay.privateKeyPem());
    }

    private void assumeTls(String rule) {
        Assumptions.assumeTrue(tls(), () -> "optional rule " + rule + " is for TLS transports; " + scheme() + " is not one");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable connecting, String why) {
        assertThatThrownBy(connecting).isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.isRetryable()).as("retryable").isFalse();
            assertThat(e.getMessage()).contains(why);
        });
    }

    private static ClientFrame.Builder addTopics(long subscription, String topic) {
        return ClientFrame.newBuilder().setAddTopics(AddTopics.newBuilder().setSubscriptionId(subscription)
                .addCursors(Cursor.newBuilder().setTopic(topic).setAfterSequence(0)));
    }

    // 4. Liveness (4.02 is in ReliabilityContract: it needs a fault)

    @Test
    @DisplayName("4.01 heartbeats reach an idle subscription")
    void required_rule4_01_heartbeatsArriveWithoutTraffic() {
        Transport a = connect(Identity.generate());
        TckListener listener = new TckListener();
        join(a.subscribe(Map.of(), 0, listener));
        await().atMost(WAIT).until(() -> listener.heartbeats.get() >= 3);
        assertThat(listener.errors).isEmpty();
    }

    // 5. Resources

    @Test
    @DisplayName("5.01 close (twice is fine) frees the node's session and every client thread")
    void required_rule5_01_closeFreesEveryConnectionAndThread() {
        long before = clientThreads();
        Transport a = connect(Identity.generate());
        String topic = newConversation(a);
        TckListener listener = new TckListener();
        join(a.subscribe(Map.of(topic, 0L), 10, listener));
        publish(a, topic, "x");
        await().atMost(WAIT).until(() -> listener.envelopes.size() == 1);
        assertThat(node.connectionCount()).isEqualTo(1);
        a.close();
        a.close();
        await().atMost(WAIT).until(() -> node.connectionCount() == 0);
        await().atMost(WAIT).until(() -> clientThreads() <= before);
    }

    @Test
    @DisplayName("5.02 every subscription of a connection is freed on the node when the connection ends, either side")
    void required_rule5_02_aConnectionsSubscriptionsAreFreedWhenItEnds() {
        Identity alice = Identity.generate();
        Transport a = connect(alice);
        String topic = newConversation(a);
        for (int i = 0; i < 3; i++) {
            join(a.subscribe(Map.of(topic, 0L), 10, new TckListener()));
        }
        assertThat(node.subscriptionCount()).isEqualTo(3);
        node.dropConnections(alice.inboxId()); // ended by the node
        await().atMost(WAIT).until(() -> node.subscriptionCount() == 0 && node.connectionCount() == 0);

        Transport again = connect(alice);
        for (int i = 0; i < 3; i++) {
            join(again.subscribe(Map.of(topic, 0L), 10, new TckListener()));
        }
        assertThat(node.subscriptionCount()).isEqualTo(3);
        again.close(); // ended by the client
        await().atMost(WAIT).until(() -> node.subscriptionCount() == 0 && node.connectionCount() == 0);
    }

    @Test
    @DisplayName("5.03 (optional, sockets and frames) a client that does not read is cut off at the outbound limit; others stream on")
    void optional_rule5_03_aClientThatDoesNotReadIsCutOffAtTheOutboundLimit() {
        Assumptions.assumeTrue(listenAddress() != null, () -> "optional rule 5.03 needs a socket that is not read; "
                + scheme() + " has none");
        long limit = 2L * WireLimits.MAX_FRAME_BYTES; // the smallest the node allows
        replaceNodeWith(NodeLimits.builder().maxOutboundBytesPerConnection(limit).build());
        Identity victim = Identity.generate();
        Transport alice = connect(Identity.generate());
        String big = newConversation(alice, victim.inboxId());
        String calm = newConversation(alice);
        TckListener bystander = new TckListener();
        join(alice.subscribe(Map.of(calm, 0L), Long.MAX_VALUE / 2, bystander));
        byte[] mebibyte = new byte[WireLimits.MAX_PAYLOAD_BYTES - 1024];
        for (int i = 0; i < 2 * limit / mebibyte.length; i++) { // twice the limit waits in the topic
            join(alice.publish(big, mebibyte, "fill-" + i));
        }
        try (FaultProxy proxy = FaultProxy.start(endpoint());
             RawFrames raw = rawFrames("5.03", proxy.uri(scheme()))) {
            raw.authenticate(victim);
            assertThat(node.connectionCount()).isEqualTo(2);
            proxy.stopReadingFromNode(); // from now on the victim reads nothing
            ClientFrame.Builder subscribe = RawFrames.subscribe(big, 0);
            subscribe.getSubscribeBuilder().setInitialDemand(Long.MAX_VALUE / 2);
            raw.send(subscribe);
            // more keeps coming while the node holds on; the bystander gets each of its messages meanwhile
            for (int i = 0; node.connectionCount() == 2; i++) {
                assertThat(i).as("MiB published without the node letting go of the victim").isLessThan(256);
                join(alice.publish(big, mebibyte, "more-" + i));
                join(alice.publish(calm, bytes("calm-" + i), "calm-" + i));
                int expected = i + 1;
                await().atMost(WAIT).until(() -> bystander.envelopes.size() == expected);
            }
            assertThat(node.outboundQueuedPeakBytes()).as("bytes the node held for one connection")
                    .isLessThanOrEqualTo(limit).isGreaterThan(limit / 2);
            int before = bystander.envelopes.size();
            join(alice.publish(calm, bytes("after"), "after"));
            await().atMost(WAIT).until(() -> bystander.envelopes.size() == before + 1);
            assertThat(bystander.errors).isEmpty();
        }
    }

    // 6. Concurrency

    @Test
    @DisplayName("6.01 concurrent publishers reach every subscriber in sequence order, one listener call at a time")
    void required_rule6_01_concurrentPublishersReachEverySubscriberInSequenceOrder() {
        int publishers = 4;
        int perPublisher = 200;
        int subscribers = 4;
        Identity owner = Identity.generate();
        Transport ownerTransport = connect(owner);
        List<Identity> members = new ArrayList<>();
        for (int i = 0; i < publishers + subscribers; i++) {
            members.add(Identity.generate());
        }
        String topic = newConversation(ownerTransport, members.stream().map(Identity::inboxId).toArray(String[]::new));
        List<TckListener> listeners = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            TckListener listener = new TckListener();
            join(connect(members.get(publishers + i)).subscribe(Map.of(topic, 0L), Long.MAX_VALUE / 2, listener));
            listeners.add(listener);
        }
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            Transport t = connect(members.get(p));
            int id = p;
            sending.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    join(t.publish(topic, bytes(id + ":" + i), id + ":" + i));
                }
            }));
        }
        sending.forEach(TransportContract::join);
        int total = publishers * perPublisher;
        for (TckListener listener : listeners) {
            await().atMost(WAIT).until(() -> listener.envelopes.size() == total);
            assertThat(listener.sequences()).isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(listener.overlaps.get()).isZero();
        }
    }

    /**
     * Live threads this client side owns (named {@code parley-} but not the node's, nor those of pools
     * the JVM's clients share while another client still uses them).
     */
    protected static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("parley-") && !t.getName().startsWith("parley-node-"))
                .filter(t -> !SharedResource.isHeldThread(t))
                .count();
    }
}
