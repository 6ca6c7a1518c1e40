package dev.parley.tck;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.HistoryLost;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Clients of several endpoints ({@code ClientOptions.Builder.endpoints}) over the transport under
 * test, with real nodes: an endpoint where nothing listens is skipped, a node that goes away mid-stream
 * is replaced by the next endpoint's, and a client none of whose endpoints answers fails typed. Not a
 * numbered rule (failing over is the client's, see RULES.md); it relies on rule 7.02 (a node going
 * away is a retryable error) and on unreachable endpoints failing retryably.
 *
 * <p>The two nodes here have separate logs, so different epochs: nodes sharing one history need a
 * shared store (PostgreSQL), so failing over within one history is checked with the cluster.
 * Failing over to a node of another history is what the client does for a node whose log was
 * replaced (rule 7.03): the stream reports {@code HistoryLost(NODE_RESET)} for every topic it
 * followed and streams the other node's history from its start.
 */
@Timeout(120)
public abstract class FailoverContract extends TransportSuite {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger ABSENT = new AtomicInteger();

    /** The second node, listening on {@link #secondScheme()}. */
    protected Node second;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** The scheme of the second node's endpoint; the same as {@link #scheme()} unless a suite mixes transports. */
    protected String secondScheme() {
        return scheme();
    }

    @BeforeEach
    void startSecondNode() {
        second = startAnotherNode(listenAddress() == null ? null : secondScheme() + "://127.0.0.1:0");
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        second.close();
    }

    /** An endpoint of {@link #scheme()} where no node answers: a free loopback port, or no node of that name in process. */
    protected URI unreachableEndpoint() {
        if (listenAddress() == null) {
            return URI.create(scheme() + "://absent-" + ABSENT.incrementAndGet());
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create(scheme() + "://127.0.0.1:" + probe.getLocalPort()); // free once the probe is closed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI first() {
        return node.endpoint(scheme());
    }

    private URI secondEndpoint() {
        return second.endpoint(secondScheme());
    }

    private Client client(URI... endpoints) {
        ClientOptions.Builder options = ClientOptions.builder()
                .endpoints(List.of(endpoints).stream().map(URI::toString).toList())
                .identity(Identity.generate())
                .heartbeatInterval(Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(10));
        trustStore().ifPresent(options::trustStore);
        Client client = Client.create(options.build());
        open.add(client);
        return client;
    }

    /** What a push-mode stream delivered and reported. */
    private static final class Seen {
        final List<Object> values = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<HistoryLost> lost = new CopyOnWriteArrayList<>();

        StreamOptions<DecodedMessage> options(boolean disableSync) {
            return StreamOptions.<DecodedMessage>builder()
                    .disableSync(disableSync)
                    .retryDelay(Duration.ofMillis(100))
                    .onValue(m -> values.add(m.content()))
                    .onError(e -> events.add(e instanceof StreamFailedException ? "failed"
                            : e instanceof TransportException t && t.isRetryable() ? "retryable-error" : "error:" + e))
                    .onRetry((attempt, max) -> events.add("retry:" + attempt))
                    .onRestart(() -> events.add("restart"))
                    .onHistoryLost(lost::add)
                    .onFail(() -> events.add("fail"))
                    .build();
        }
    }

    private MessageStream<DecodedMessage> streamAll(Client client, Seen seen, boolean disableSync) {
        MessageStream<DecodedMessage> stream = client.conversations().streamAllMessages(seen.options(disableSync));
        open.add(stream::end);
        return stream;
    }

    @Test
    void aClientWhoseFirstEndpointIsDownFromTheStartStreamsAndSendsThroughTheNext() {
        Client alice = client(unreachableEndpoint(), secondEndpoint());
        Client bob = client(secondEndpoint());
        Seen seen = new Seen();
        MessageStream<DecodedMessage> stream = streamAll(alice, seen, false);
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);

        Group group = bob.conversations().newGroup(List.of(alice.inboxId()));
        group.send("one");
        group.send("two");
        await().atMost(WAIT).until(() -> seen.values.size() == 2);
        alice.conversations().sync();
        alice.conversations().getConversationById(group.id()).orElseThrow().send("three");

        await().atMost(WAIT).until(() -> seen.values.size() == 3);
        assertThat(seen.values).containsExactly("one", "two", "three");
        assertThat(seen.events).isEmpty();
        assertThat(seen.lost).isEmpty();
        assertThat(second.connectionCount()).isGreaterThanOrEqualTo(2);
    }

    /**
     * With sync, the stream's catch-up meets the next node's history first; without, its subscribe does:
     * the same outcome either way.
     */
    @ParameterizedTest(name = "disableSync {0}")
    @ValueSource(booleans = {false, true})
    void aStreamWhoseNodeGoesAwayFailsOverToTheNextNodeAndReportsTheHistoryItLeft(boolean disableSync) {
        Client alice = client(first(), secondEndpoint());
        Client bob = client(first(), secondEndpoint());
        Seen seen = new Seen();
        streamAll(alice, seen, disableSync);
        Group before = bob.conversations().newGroup(List.of(alice.inboxId()));
        before.send("one");
        before.send("two");
        await().atMost(WAIT).until(() -> seen.values.size() == 2);

        node.close();
        // bob's operations fail over too: the creation and the sends go to the second node
        Group after = bob.conversations().newGroup(List.of(alice.inboxId()));
        after.send("three");
        after.send("four");

        await().atMost(WAIT).until(() -> seen.values.size() >= 4);
        assertThat(seen.values).as("the other node's first sequences are no duplicates")
                .containsExactly("one", "two", "three", "four");
        assertThat(seen.lost).as("the stream says it left the first node's history")
                .contains(new HistoryLost(before.id(), 3, Long.MAX_VALUE, HistoryLost.Reason.NODE_RESET))
                .contains(new HistoryLost(Topics.welcome(alice.inboxId()), 2, Long.MAX_VALUE,
                        HistoryLost.Reason.NODE_RESET))
                .allMatch(l -> l.reason() == HistoryLost.Reason.NODE_RESET);
        assertThat(seen.events).as("one connection lost, then live again on the second node")
                .startsWith("retryable-error", "retry:1").endsWith("restart")
                .doesNotContain("fail", "failed");
        assertThat(alice.conversations().list()).extracting(c -> c.id()).containsExactly(after.id());
    }

    @Test
    void createFailsTypedNamingEveryEndpointWhenNoneAnswers() {
        URI one = unreachableEndpoint();
        URI two = unreachableEndpoint();

        assertThatThrownBy(() -> client(one, two))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.isRetryable()).isTrue())
                .hasMessageStartingWith("none of the endpoints answered: " + one + " (")
                .hasMessageContaining("; " + two + " (");
    }
}
