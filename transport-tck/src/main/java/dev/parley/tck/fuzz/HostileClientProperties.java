package dev.parley.tck.fuzz;

import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.QueryRequest;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /** The URI scheme of the transport under attack. */
    protected abstract String scheme();

    /** Raw links of this transport. */
    protected abstract ByteLink.Factory byteLinks();

    @BeforeProperty
    void startNode() {
        logs = new LogWatch();
        node = Node.builder().name("fuzz-" + scheme() + "-" + NODES.incrementAndGet())
                .listen(scheme() + "://127.0.0.1:0").build().start();
        bystander = new Bystander(VICTIM, endpoint().toString());
        baseline = node.connectionCount();
        links = byteLinks();
    }

    @AfterProperty
    void stopNode() {
        try {
            links.close();
            bystander.close();
            node.close();
        } finally {
            logs.close();
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

    private void attack(boolean authenticated, java.util.function.Consumer<HostileClient> misbehave) {
        logs.clear();
        try (HostileClient client = new HostileClient(links, endpoint())) {
            if (authenticated) {
                assertThat(client.authenticate(ME, WAIT)).as("a well-formed handshake is accepted").isTrue();
            }
            misbehave.accept(client);
            probe(client, authenticated);
            assertThat(client.internalErrors()).as("error frames saying the node failed inside").isEmpty();
            assertThat(client.unparsable()).as("node frames that do not parse").isEmpty();
            if (client.closed.isDone()) {
                assertThat(client.closed.join().unexpected()).as("close: %s", client.closed.join()).isFalse();
            }
        }
        await().atMost(WAIT).until(() -> node.connectionCount() == baseline);
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
