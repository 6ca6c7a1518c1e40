package dev.parley.tck.fuzz;

import java.util.function.Consumer;
import dev.parley.Identity;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import com.google.protobuf.ByteString;
import dev.parley.internal.util.WireLimits;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.protocol.AddTopics;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Cursor;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishBatch;
import dev.parley.protocol.PublishOutcome;
import dev.parley.protocol.PublishRequest;
import dev.parley.protocol.QueryRequest;
import dev.parley.protocol.Subscribe;
import dev.parley.transport.Wire;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

import dev.parley.node.store.Retention;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile client against a real node, over a transport's real sockets: random bytes, and frames
 * that are valid protobuf with hostile values (boundary numbers, huge or negative demands, sequences
 * and limits, bad heartbeats, unknown fields, truncation, any order), before and after
 * authentication. After every try: the node answered every request with a typed error or an
 * answer, or closed the connection with a code; it never hung, never failed inside (no internal
 * error frame, no warning logged, no close code saying it broke); the connection's session is gone
 * once the client leaves; and a well-behaved client on the same node still publishes while its
 * stream, running all along, receives every message exactly once and in order.
 *
 * <p>A transport runs it by extending this class in its tests with its scheme and a {@link
 * ByteLink.Factory}. Tries per property: {@code -Dparley.fuzz.tries}; replay: {@code -Dparley.fuzz.seed}
 * (see {@link FuzzSettings}).
 */
@AddLifecycleHook(FuzzSettings.class)
public abstract class HostileClientProperties {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NODES = new AtomicInteger();
    private static final Identity ME = Identity.generate();
    private static final Identity VICTIM = Identity.generate();

    private Node node;
    private Bystander bystander;
    private ByteLink.Factory links;
    private LogWatch logs;
    private int baseline;
    private Path dataDir;

    /** The URI scheme of the transport under attack. */
    protected abstract String scheme();

    /** Raw links of this transport. */
    protected abstract ByteLink.Factory byteLinks();

    /**
     * A durable node (SQLite) that trims every topic to its last few entries all along, so hostile
     * cursors also meet logs whose start moved.
     */
    @BeforeProperty
    void startNode() throws IOException {
        logs = new LogWatch();
        dataDir = Files.createTempDirectory("parley-fuzz-node");
        node = Node.builder().name("fuzz-" + scheme() + "-" + NODES.incrementAndGet())
                .listen(scheme() + "://127.0.0.1:0").dataDir(dataDir)
                .retention(Retention.KEEP_ALL.withMaxPerTopic(4)).retentionInterval(Duration.ofMillis(20))
                .build().start();
        bystander = new Bystander(VICTIM, endpoint().toString());
        baseline = node.connectionCount();
        links = byteLinks();
    }

    @AfterProperty
    void stopNode() throws IOException {
        try {
            links.close();
            bystander.close();
            node.close();
            deleteRecursively(dataDir);
        } finally {
            logs.close();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private URI endpoint() {
        return node.endpoint(scheme());
    }

    @Provide
    Arbitrary<List<HostileFrame>> frames() {
        return new HostileClientFrames(ME.inboxId(), VICTIM.inboxId()).frames().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<byte[]>> garbage() {
        return HostileClientFrames.randomBytes().list().ofMinSize(1).ofMaxSize(3);
    }

    @Property
    void randomBytesAreRefusedAndHurtNoOne(@ForAll boolean authenticated, @ForAll("garbage") List<byte[]> frames) {
        attack(authenticated, client -> frames.forEach(client::send));
    }

    @Property
    void hostileFramesBeforeAuthenticationHurtNoOne(@ForAll("frames") List<HostileFrame> frames) {
        attack(false, client -> frames.forEach(f -> client.send(f.bytes(bystander.topic()))));
    }

    @Property
    void hostileFramesAfterAuthenticationHurtNoOne(@ForAll("frames") List<HostileFrame> frames) {
        attack(true, client -> frames.forEach(f -> client.send(f.bytes(bystander.topic()))));
    }

    /**
     * Found by fuzzing: an {@code AddTopics} the node refuses (another inbox's topic) logged a warning
     * with a stack trace each time (the refusal came wrapped in a {@code CompletionException}), so any
     * client could flood the node's log. It is a typed error for that request, and nothing is logged.
     */
    @Example
    void aRefusedAddTopicsIsATypedErrorAndNoWarning() {
        attack(true, client -> {
            long subscription = 4;
            client.send(ClientFrame.newBuilder().setRequestId(subscription)
                    .setSubscribe(Subscribe.getDefaultInstance()).build());
            Optional<NodeFrame> answer = client.exchange(ClientFrame.newBuilder().setRequestId(5)
                    .setAddTopics(AddTopics.newBuilder().setSubscriptionId(subscription)
                            .addCursors(Cursor.newBuilder().setTopic(Topics.welcome(VICTIM.inboxId())))).build(), WAIT);
            assertThat(answer).hasValueSatisfying(f -> assertThat(Wire.fromWire(f.getError()))
                    .isInstanceOf(PermissionDeniedException.class));
        });
    }

    /**
     * A batch mixing allowed and refused publishes, with a key repeated inside it, is answered in one
     * frame with an outcome per publish: the refused one fails alone (typed), the repeated key gets the
     * first sequence; an empty batch and one over the count limit are refused whole, with a typed error.
     */
    @Example
    void aBatchIsAnsweredPublishByPublishAndABadOneIsATypedError() {
        attack(true, client -> {
            String own = Topics.preferences(ME.inboxId());
            PublishBatch batch = PublishBatch.newBuilder()
                    .addPublishes(publishOf(own, "a"))
                    .addPublishes(publishOf(Topics.preferences(VICTIM.inboxId()), "b"))
                    .addPublishes(publishOf(own, "a"))
                    .addPublishes(publishOf(own, "c"))
                    .build();
            Optional<NodeFrame> answer = client.exchange(ClientFrame.newBuilder().setRequestId(5)
                    .setPublishBatch(batch).build(), WAIT);
            assertThat(answer).hasValueSatisfying(f -> {
                List<PublishOutcome> outcomes = f.getPublishAcks().getOutcomesList();
                assertThat(outcomes).hasSize(4);
                assertThat(Wire.fromWire(outcomes.get(1).getError())).isInstanceOf(PermissionDeniedException.class);
                assertThat(outcomes.get(2).getAck()).isEqualTo(outcomes.get(0).getAck());
                assertThat(outcomes.get(3).getAck().getSequence()).isEqualTo(outcomes.get(0).getAck().getSequence() + 1);
            });
            for (int count : new int[] {0, WireLimits.MAX_PUBLISHES_PER_BATCH + 1}) {
                PublishBatch.Builder bad = PublishBatch.newBuilder();
                for (int i = 0; i < count; i++) {
                    bad.addPublishes(publishOf(own, "d" + i));
                }
                Optional<NodeFrame> refusal = client.exchange(ClientFrame.newBuilder().setRequestId(6 + count)
                        .setPublishBatch(bad).build(), WAIT);
                assertThat(refusal).as("answer to a batch of %d", count).hasValueSatisfying(f ->
                        assertThat(Wire.fromWire(f.getError())).isInstanceOf(ProtocolException.class));
            }
        });
    }

    private static PublishRequest publishOf(String topic, String key) {
        return PublishRequest.newBuilder().setTopic(topic).setPayload(ByteString.copyFromUtf8("x"))
                .setIdempotencyKey(key).build();
    }

    private void attack(boolean authenticated, Consumer<HostileClient> misbehave) {
        logs.clear();
        try (HostileClient client = new HostileClient(links, endpoint())) {
            if (authenticated) {
                assertThat(client.authenticate(ME, WAIT)).as("a well-formed handshake is accepted").isTrue();
            }
            misbehave.accept(client);
            probe(client, authenticated);
            assertThat(client.internalErrors()).as("error frames saying the node failed inside").isEmpty();
            assertThat(client.unparsable()).as("node frames that do not parse").isEmpty();
            Statistics.label("connection after the attack")
                    .collect(client.closed.isDone() ? "closed by the node" : "still open");
            if (client.closed.isDone()) {
                assertThat(client.closed.join().unexpected()).as("close: %s", client.closed.join()).isFalse();
            }
        }
        Fuzz.await(WAIT).until(() -> node.connectionCount() == baseline);
        bystander.stillServed();
        assertThat(logs.alarms()).as("warnings logged while fuzzed").isEmpty();
    }

    /**
     * The node still answers this connection (a query once authenticated, a challenge before), or
     * it closed it: never silence.
     */
    private static void probe(HostileClient client, boolean authenticated) {
        ClientFrame probe = authenticated
                ? ClientFrame.newBuilder().setRequestId(HostileClientFrames.PROBE_ID).setQuery(QueryRequest.newBuilder()
                        .setTopic(Topics.welcome(ME.inboxId())).setLimit(1)).build()
                : ClientFrame.newBuilder().setRequestId(HostileClientFrames.PROBE_ID)
                        .setHello(Hello.newBuilder().setClientVersion("probe")).build();
        Optional<NodeFrame> answer = client.exchange(probe, WAIT);
        answer.ifPresent(a -> assertThat(a.getBodyCase()).as("answer to the probe: %s", a)
                .isIn(authenticated ? NodeFrame.BodyCase.QUERY_RESULT : NodeFrame.BodyCase.CHALLENGE,
                        NodeFrame.BodyCase.ERROR));
    }
}
