package dev.parley.tck;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.HistoryLost;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.node.Node;
import dev.parley.testing.Fault;
import dev.parley.testing.Faults;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * The full client over the transport while {@link Faults} break its connection: rules 4.02 and 7 of
 * {@code RULES.md}. A transport runs it by extending this class and naming its scheme; the faults
 * come from {@link #faultsFor(Node)}, by default a fault proxy in front of the node (resets, cuts
 * mid-frame, silent stalls, slow links). A rule that needs a fault the {@code Faults} cannot inject
 * is skipped, naming that fault.
 */
@Timeout(600)
public abstract class ReliabilityContract extends TransportSuite {
    private static final Logger log = LoggerFactory.getLogger(ReliabilityContract.class);
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    /**
     * How soon a stream whose connection went silent for good must deliver again (rule 7.04): heartbeats
     * notice within about two intervals, a new connection takes a handshake; the rest is slack for a
     * loaded machine. Without a new connection it would be the operating system's TCP timeout (minutes).
     */
    private static final Duration SILENCE_RECOVERY = Duration.ofSeconds(30);

    private Faults injector;
    private final List<Client> clients = new ArrayList<>();

    protected int conversations() {
        return 50;
    }

    protected int messages() {
        return 20_000;
    }

    /** How many faults rule 7.01 injects, cycling through every fault {@link #faultsFor} supports. */
    protected int faults() {
        return 200;
    }

    /**
     * The faults this suite injects into the connections of {@link #throughFaults} clients; started
     * once {@code node} is, closed after each test. Default: {@link Faults#throughProxy} in front of
     * the node's endpoint for {@link #scheme()}. A link without a socket (inproc) returns
     * {@link Faults#byNodeDrops}.
     */
    protected Faults faultsFor(Node node) {
        return Faults.throughProxy(node.endpoint(scheme()));
    }

    @BeforeEach
    void startFaults() {
        injector = faultsFor(node);
    }

    @AfterEach
    void closeClientsAndFaults() {
        clients.forEach(Client::close);
        clients.clear();
        injector.close();
    }

    /** A client straight to the node. */
    protected Client direct() {
        return client(node.endpoint(scheme()), Duration.ofSeconds(15));
    }

    /** A client whose connection suffers the injected faults. */
    protected Client throughFaults(Duration heartbeat) {
        return client(injector.endpoint(), heartbeat);
    }

    private Client client(URI endpoint, Duration heartbeat) {
        Client client = Client.create(clientOptions(endpoint, Identity.generate()).heartbeatInterval(heartbeat)
                .requestTimeout(Duration.ofSeconds(3)).build());
        clients.add(client);
        return client;
    }

    @Test
    @DisplayName("4.02 (optional, sockets) the node frees the session of a client that went silent")
    void optional_rule4_02_theNodeFreesTheSessionOfAClientThatWentSilent() {
        Assumptions.assumeTrue(injector.supports(Fault.STALL), () -> "optional rule 4.02 needs fault "
                + Fault.STALL + ", which " + injector + " cannot inject: only a socket can go silent");
        Client bob = throughFaults(HEARTBEAT);
        bob.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder().onValue(m -> { }).build());
        assertThat(node.connectionCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.subscriptionCount() == 1);
        injector.inject(Fault.STALL, bob.inboxId()); // no FIN, no RST: only the node's heartbeat watchdog can tell
        await().atMost(Duration.ofSeconds(10)).until(() -> node.connectionCount() == 0
                && node.subscriptionCount() == 0); // the session and its subscriptions
        injector.resume();
    }

    @Test
    @DisplayName("7.01 through injected faults every message arrives exactly once and in order per conversation")
    void required_rule7_01_everyMessageExactlyOnceAndInOrderThroughInjectedFaults() {
        Client alice = direct();
        Client bob = throughFaults(HEARTBEAT);
        List<Group> groups = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < conversations(); i++) {
            Group g = alice.conversations().newGroup(List.of(bob.inboxId()));
            groups.add(g);
            index.put(g.id(), i);
        }
        // a blackhole never heals: rule 7.04 has it on its own
        List<Fault> kinds = injector.supported().stream().filter(f -> f != Fault.BLACKHOLE).toList();
        ConcurrentLinkedQueue<DecodedMessage> received = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(10_000)
                        .retryDelay(Duration.ofMillis(5))
                        .onValue(received::add)
                        .onError(e -> errors.incrementAndGet())
                        .onRestart(restarts::incrementAndGet)
                        .build())) {
            List<Integer> faultPoints = faultPoints();
            int next = 0;
            for (int n = 0; n < messages(); n++) {
                int conversation = n % conversations();
                groups.get(conversation).send(conversation + ":" + (n / conversations()));
                while (next < faultPoints.size() && faultPoints.get(next) == n) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> stream.state() == StreamState.LIVE);
                    Fault kind = kinds.get(next % kinds.size());
                    inject(kind, bob, errors);
                    injected.merge(kind, 1, Integer::sum);
                    next++;
                }
            }
            injector.resume();
            await().atMost(Duration.ofSeconds(120)).until(() -> received.size() >= messages());
            Group marker = alice.conversations().newGroup(List.of(bob.inboxId()));
            marker.send("done");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    received.stream().anyMatch(m -> m.conversationId().equals(marker.id())));
        }
        Verdict verdict = Verdict.of(received, index, conversations(), messages() / conversations());
        log.info("reliability[{}]: {} messages, {} conversations, faults {}, {} errors seen, {} restarts; "
                        + "lost {}, duplicated {}, reordered {}", scheme(), messages(), conversations(), injected,
                errors.get(), restarts.get(), verdict.lost(), verdict.duplicated(), verdict.reordered());
        assertThat(verdict.lost()).as("lost").isZero();
        assertThat(verdict.duplicated()).as("duplicated").isZero();
        assertThat(verdict.reordered()).as("reordered").isZero();
        assertThat(restarts.get()).as("restarts").isPositive();
    }

    /** After which message each fault is injected: {@link #faults()} points, sorted, the same every run. */
    private List<Integer> faultPoints() {
        Random random = new Random(7);
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < faults(); i++) {
            points.add(random.nextInt(messages()));
        }
        points.sort(Integer::compare);
        return points;
    }

    /** Injects {@code fault} into the victim's link; a stall lasts until the victim noticed it, which only heartbeats can. */
    private void inject(Fault fault, Client victim, AtomicInteger errors) {
        int before = errors.get();
        injector.inject(fault, victim.inboxId());
        if (fault == Fault.STALL) {
            await().atMost(Duration.ofSeconds(30)).until(() -> errors.get() > before);
            injector.resume();
        }
    }

    @Test
    @DisplayName("7.04 (optional, sockets) a connection silent for good is replaced: the stream recovers, nothing lost")
    void optional_rule7_04_aConnectionSilentForGoodIsReplacedAndTheStreamLosesNothing() {
        Assumptions.assumeTrue(injector.supports(Fault.BLACKHOLE), () -> "optional rule 7.04 needs fault "
                + Fault.BLACKHOLE + ", which " + injector + " cannot inject: only a socket can go silent for good");
        int conversations = 5;
        int blackholes = 4;
        int perRound = 10;
        Client alice = direct();
        Client bob = throughFaults(HEARTBEAT);
        List<Group> groups = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < conversations; i++) {
            Group g = alice.conversations().newGroup(List.of(bob.inboxId()));
            groups.add(g);
            index.put(g.id(), i);
        }
        ConcurrentLinkedQueue<DecodedMessage> received = new ConcurrentLinkedQueue<>();
        AtomicInteger restarts = new AtomicInteger();
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(10_000)
                        .retryDelay(Duration.ofMillis(5))
                        .onValue(received::add)
                        .onRestart(restarts::incrementAndGet)
                        .build())) {
            for (int round = 0; round < blackholes; round++) {
                await().atMost(Duration.ofSeconds(60)).until(() -> stream.state() == StreamState.LIVE);
                injector.inject(Fault.BLACKHOLE, bob.inboxId()); // for good: only a new connection helps
                for (int i = 0; i < perRound; i++) {
                    for (int c = 0; c < conversations; c++) {
                        groups.get(c).send(c + ":" + (round * perRound + i));
                    }
                }
                int expected = (round + 1) * perRound * conversations;
                try {
                    await().atMost(SILENCE_RECOVERY).until(() -> received.size() >= expected);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("after blackhole " + (round + 1) + " the stream did not recover within "
                            + SILENCE_RECOVERY + ": " + received.size() + " of " + expected + " messages, state "
                            + stream.state(), e);
                }
            }
        }
        Verdict verdict = Verdict.of(received, index, conversations, blackholes * perRound);
        assertThat(verdict.lost()).as("lost").isZero();
        assertThat(verdict.duplicated()).as("duplicated").isZero();
        assertThat(verdict.reordered()).as("reordered").isZero();
        assertThat(restarts.get()).as("restarts").isGreaterThanOrEqualTo(blackholes);
    }

    @Test
    @DisplayName("7.02 a node shutting down is a retryable error: streams retry, they do not fail")
    void required_rule7_02_aNodeShuttingDownMakesStreamsRetryNotFail() {
        Client bob = direct();
        List<String> events = new CopyOnWriteArrayList<>();
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(1_000)
                        .retryDelay(Duration.ofMillis(50))
                        .onError(e -> events.add(e instanceof TransportException t && t.isRetryable()
                                ? "retryable-error" : "error:" + e))
                        .onRetry((a, m) -> events.add("retry"))
                        .onFail(() -> events.add("fail"))
                        .build());
        node.close();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("retry"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("events: " + events + ", state " + stream.state() + ", connections "
                    + node.connectionCount(), e);
        }
        assertThat(events.get(0)).isEqualTo("retryable-error");
        assertThat(events).doesNotContain("fail");
        assertThat(stream.state()).isIn(StreamState.RETRYING, StreamState.CONNECTING);
        stream.end();
    }

    @Test
    @DisplayName("7.03 a node whose log was wiped: streams say what was lost and deliver the new history")
    void required_rule7_03_aWipedNodeIsReportedAndItsNewHistoryDelivered() {
        Client alice = direct();
        Client bob = direct();
        List<HistoryLost> lost = new CopyOnWriteArrayList<>();
        List<Object> received = new CopyOnWriteArrayList<>();
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(1_000)
                        .retryDelay(Duration.ofMillis(50))
                        .onHistoryLost(lost::add)
                        .onValue(m -> received.add(m.content()))
                        .build());
        Group before = alice.conversations().newGroup(List.of(bob.inboxId()));
        before.send("one");
        before.send("two");
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 2);

        String oldEpoch = node.epoch();
        replaceNodeWithAnEmptyOne(); // same address, sequences start again at 1
        assertThat(node.epoch()).isNotEqualTo(oldEpoch);
        Group after = alice.conversations().newGroup(List.of(bob.inboxId()));
        after.send("three");
        after.send("four");

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 4);
        assertThat(received).as("the new history's first sequences are no duplicates")
                .containsExactly("one", "two", "three", "four");
        assertThat(lost).as("what the stream had not received of the old history")
                .contains(new HistoryLost(before.id(), 3, Long.MAX_VALUE, HistoryLost.Reason.NODE_RESET))
                .allMatch(l -> l.reason() == HistoryLost.Reason.NODE_RESET);
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);
        stream.end();
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
