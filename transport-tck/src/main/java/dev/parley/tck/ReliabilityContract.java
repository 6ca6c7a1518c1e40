package dev.parley.tck;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.node.Node;
import dev.parley.testing.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The full client through a {@link FaultProxy}: resets, silent stalls, slow links and connections
 * cut in the middle of a frame, and still every message exactly once and in order per conversation.
 * A network transport runs it by extending this class and naming its scheme.
 */
@Timeout(600)
public abstract class ReliabilityContract {
    private static final AtomicInteger NODES = new AtomicInteger();
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    protected Node node;
    protected FaultProxy proxy;
    private final List<Client> clients = new ArrayList<>();

    protected abstract String scheme();

    protected int conversations() {
        return 50;
    }

    protected int messages() {
        return 20_000;
    }

    protected int faults() {
        return 200;
    }

    /**
     * False for a transport without sockets (in-process): then faults are the node cutting the
     * connection, and the checks that need a silent or slow socket do not apply.
     */
    protected boolean usesSockets() {
        return true;
    }

    @BeforeEach
    void startNodeAndProxy() {
        Node.Builder builder = Node.builder().name("reliability-" + scheme() + "-" + NODES.incrementAndGet());
        if (usesSockets()) {
            builder.listen(scheme() + "://127.0.0.1:0");
        }
        node = builder.build().start();
        proxy = usesSockets() ? FaultProxy.start(node.endpoint(scheme())) : null;
    }

    @AfterEach
    void stopAll() {
        clients.forEach(Client::close);
        clients.clear();
        if (proxy != null) {
            proxy.close();
        }
        node.close();
    }

    /** A client straight to the node. */
    protected Client direct() {
        return client(node.endpoint(scheme()), Duration.ofSeconds(15));
    }

    /** A client whose connection runs through the fault proxy (in-process: straight to the node). */
    protected Client proxied(Duration heartbeat) {
        return client(proxy != null ? proxy.uri(scheme()) : node.endpoint(scheme()), heartbeat);
    }

    /** Cuts the connections of proxied clients: a TCP reset, or the node dropping {@code who}'s connections. */
    private void reset(Client who) {
        if (proxy != null) {
            proxy.resetAll();
        } else if (who != null) {
            node.dropConnections(who.inboxId());
        } else {
            node.dropConnections();
        }
    }

    /** Connections made through the proxy so far; in-process, the node's open connections. */
    private int connectionsSeen() {
        return proxy != null ? proxy.accepted() : node.connectionCount();
    }

    private Client client(URI endpoint, Duration heartbeat) {
        Client client = Client.create(ClientOptions.builder().endpoint(endpoint.toString())
                .identity(Identity.generate()).heartbeatInterval(heartbeat)
                .requestTimeout(Duration.ofSeconds(3)).build());
        clients.add(client);
        return client;
    }

    @Test
    void everyMessageExactlyOnceAndInOrderThroughInjectedFaults() {
        Client alice = direct();
        Client bob = proxied(HEARTBEAT);
        List<Group> groups = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < conversations(); i++) {
            Group g = alice.conversations().newGroup(List.of(bob.inboxId()));
            groups.add(g);
            index.put(g.id(), i);
        }
        ConcurrentLinkedQueue<DecodedMessage> received = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        Map<String, Integer> injected = new HashMap<>();
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(10_000)
                        .retryDelay(Duration.ofMillis(5))
                        .onValue(received::add)
                        .onError(e -> errors.incrementAndGet())
                        .onRestart(restarts::incrementAndGet)
                        .build())) {
            Random random = new Random(7);
            List<Integer> faultPoints = new ArrayList<>();
            for (int i = 0; i < faults(); i++) {
                faultPoints.add(random.nextInt(messages()));
            }
            faultPoints.sort(Integer::compare);
            int next = 0;
            for (int n = 0; n < messages(); n++) {
                int conversation = n % conversations();
                groups.get(conversation).send(conversation + ":" + (n / conversations()));
                while (next < faultPoints.size() && faultPoints.get(next) == n) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> stream.state() == StreamState.LIVE);
                    String kind = proxy != null ? inject(next, errors) : drop(bob);
                    injected.merge(kind, 1, Integer::sum);
                    next++;
                }
            }
            if (proxy != null) {
                proxy.resume();
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> received.size() >= messages());
            Group marker = alice.conversations().newGroup(List.of(bob.inboxId()));
            marker.send("done");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    received.stream().anyMatch(m -> m.conversationId().equals(marker.id())));
        }
        Verdict verdict = Verdict.of(received, index, conversations(), messages() / conversations());
        System.out.printf("reliability[%s]: %d messages, %d conversations, faults %s, %d errors seen, %d restarts; "
                        + "lost %d, duplicated %d, reordered %d%n", scheme(), messages(), conversations(), injected,
                errors.get(), restarts.get(), verdict.lost(), verdict.duplicated(), verdict.reordered());
        assertThat(verdict.lost()).as("lost").isZero();
        assertThat(verdict.duplicated()).as("duplicated").isZero();
        assertThat(verdict.reordered()).as("reordered").isZero();
        assertThat(restarts.get()).as("restarts").isPositive();
    }

    private String drop(Client bob) {
        node.dropConnections(bob.inboxId());
        return "node-drop";
    }

    /** Injects fault number {@code n}, cycling through the kinds; returns the kind. */
    private String inject(int n, AtomicInteger errors) {
        switch (n % 4) {
            case 0 -> {
                proxy.resetAll();
                return "reset";
            }
            case 1 -> {
                proxy.cutMidFrame();
                return "cut-mid-frame";
            }
            case 2 -> {
                int before = errors.get();
                proxy.stall();
                // only heartbeats can notice a silent connection
                await().atMost(Duration.ofSeconds(30)).until(() -> errors.get() > before);
                proxy.resume();
                return "stall";
            }
            default -> {
                proxy.slow(Duration.ofMillis(2));
                return "slow";
            }
        }
    }

    @Test
    void aNodeShuttingDownMakesStreamsRetryNotFail() {
        Client bob = direct();
        List<String> events = new CopyOnWriteArrayList<>();
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(1_000)
                        .retryDelay(Duration.ofMillis(50))
                        .onError(e -> events.add(e instanceof dev.parley.TransportException t && t.isRetryable()
                                ? "retryable-error" : "error:" + e))
                        .onRetry((a, m) -> events.add("retry"))
                        .onFail(() -> events.add("fail"))
                        .build());
        node.close();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("retry"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("events: " + events + ", state " + stream.state() + ", connections "
                    + node.connectionCount(), e);
        }
        assertThat(events.get(0)).isEqualTo("retryable-error");
        assertThat(events).doesNotContain("fail");
        assertThat(stream.state()).isIn(StreamState.RETRYING, StreamState.CONNECTING);
        stream.end();
    }

    @Test
    void theNodeFreesTheSessionOfAClientThatWentSilent() {
        org.junit.jupiter.api.Assumptions.assumeTrue(usesSockets(), "an in-process connection cannot go silent");
        Client bob = proxied(HEARTBEAT);
        bob.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder().onValue(m -> { }).build());
        assertThat(node.connectionCount()).isEqualTo(1);
        proxy.stall(); // no FIN, no RST: only the node's heartbeat watchdog can tell
        await().atMost(Duration.ofSeconds(10)).until(() -> node.connectionCount() == 0);
        proxy.resume();
    }

    @Test
    void endDuringARetryWaitStopsTheStreamForGood() {
        Client bob = proxied(Duration.ofSeconds(15));
        List<String> events = new CopyOnWriteArrayList<>();
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryDelay(Duration.ofSeconds(1))
                        .onError(e -> events.add("error"))
                        .onRetry((a, m) -> events.add("retry"))
                        .onRestart(() -> events.add("restart"))
                        .onEnd(() -> events.add("end"))
                        .build());
        reset(bob);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.RETRYING);
        stream.end();
        int connections = connectionsSeen();
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5))
                .until(() -> events.equals(List.of("error", "end")) && connectionsSeen() == connections);
        assertThat(stream.state()).isEqualTo(StreamState.ENDED);
    }

    @Test
    void manyClientsReconnectingAtOnceSpreadOut() {
        int count = 20;
        List<Long> retriedAt = new CopyOnWriteArrayList<>();
        AtomicInteger restarted = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            proxied(Duration.ofSeconds(15)).conversations().streamAllMessages(
                    StreamOptions.<DecodedMessage>builder()
                            .onValue(m -> { })
                            .onRetry((attempt, max) -> {
                                if (attempt == 1) {
                                    retriedAt.add(System.nanoTime());
                                }
                            })
                            .onRestart(restarted::incrementAndGet)
                            .build());
        }
        long resetAt = System.nanoTime();
        reset(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.get() == count);
        long first = retriedAt.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = retriedAt.stream().mapToLong(Long::longValue).max().orElseThrow();
        long spreadMs = (last - first) / 1_000_000;
        System.out.printf("reconnect spread[%s]: %d clients retried %d..%d ms after the reset (spread %d ms)%n",
                scheme(), count, (first - resetAt) / 1_000_000, (last - resetAt) / 1_000_000, spreadMs);
        // default policy: first retry 125..250 ms after the disconnect (250 ms with equal jitter)
        assertThat(retriedAt).hasSize(count);
        assertThat(spreadMs).isGreaterThan(40);
        assertThat((first - resetAt) / 1_000_000).isGreaterThanOrEqualTo(100);
    }

    /** What went wrong in a run, counted per conversation against the expected 0..perConversation-1. */
    record Verdict(int lost, int duplicated, int reordered) {
        static Verdict of(Iterable<DecodedMessage> received, Map<String, Integer> index, int conversations,
                          int perConversation) {
            List<List<Integer>> seen = new ArrayList<>();
            for (int i = 0; i < conversations; i++) {
                seen.add(new ArrayList<>());
            }
            for (DecodedMessage m : received) {
                Integer c = index.get(m.conversationId());
                if (c != null) {
                    seen.get(c).add(Integer.parseInt(((String) m.content()).split(":")[1]));
                }
            }
            int lost = 0;
            int duplicated = 0;
            int reordered = 0;
            for (List<Integer> s : seen) {
                long distinct = s.stream().distinct().count();
                duplicated += s.size() - (int) distinct;
                lost += perConversation - (int) distinct;
                for (int i = 1; i < s.size(); i++) {
                    if (s.get(i) < s.get(i - 1)) {
                        reordered++;
                    }
                }
            }
            return new Verdict(lost, duplicated, reordered);
        }
    }
}
