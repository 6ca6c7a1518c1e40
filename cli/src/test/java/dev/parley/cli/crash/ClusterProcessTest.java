package dev.parley.cli.crash;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.ParleyException;
import dev.parley.StreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three {@code parley node} processes on one PostgreSQL database, clients spread over them on gRPC
 * and WebSocket with every node in their endpoint list. Everyone sends to one group while one node
 * process is SIGKILLed mid-storm: its clients fail over, and every member receives every acknowledged
 * message exactly once, all members in the same order. {@code -Dparley.cluster.messages=N} per sender
 * (default 60).
 */
@Timeout(240)
class ClusterProcessTest {
    private static final Logger log = LoggerFactory.getLogger(ClusterProcessTest.class);
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final int MESSAGES = Integer.getInteger("parley.cluster.messages", 60);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private String database;

    @BeforeEach
    void createDatabase() throws SQLException {
        try (Connection c = admin()) {
            database = "parley_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        for (NodeProcess node : nodes) {
            node.close();
        }
        if (database != null) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** A connection to the server; without one (and without CI) the test is skipped, saying what to start. */
    private static Connection admin() throws SQLException {
        try {
            return DriverManager.getConnection(SERVER, "postgres", "");
        } catch (SQLException e) {
            if (System.getenv("CI") == null) {
                Assumptions.abort("PostgreSQL does not answer on 127.0.0.1:5432 (" + e.getMessage()
                        + "); start PostgreSQL 15 there (trust auth) to run the cluster tests");
            }
            throw e;
        }
    }

    @Test
    void aNodeKilledMidStormLosesNothingAndDuplicatesNothing(TestReporter report) throws Exception {
        String store = "postgresql://postgres@127.0.0.1:5432/" + database;
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int grpc = NodeProcess.freePort();
            int ws = NodeProcess.freePort();
            ports.add(new int[] {grpc, ws});
            nodes.add(NodeProcess.startWith("--name", "cluster-" + i, "--store", store,
                    "--listen", "grpc://127.0.0.1:" + grpc, "ws://127.0.0.1:" + ws));
        }
        // each client starts on its own node, over its own transport, and knows the other two
        Client alice = client(List.of(grpc(ports, 0), grpc(ports, 1), grpc(ports, 2)));
        Client bob = client(List.of(ws(ports, 1), ws(ports, 2), ws(ports, 0)));
        Client carol = client(List.of(grpc(ports, 2), ws(ports, 0), grpc(ports, 1)));
        List<Client> members = List.of(alice, bob, carol);

        Group group = alice.conversations().newGroup(List.of(bob.inboxId(), carol.inboxId()), "cluster");
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        List<String> streamFailures = new CopyOnWriteArrayList<>();
        for (Client member : members) {
            List<String> mine = new CopyOnWriteArrayList<>();
            received.put(member.inboxId(), mine);
            MessageStream<DecodedMessage> stream = member.conversations().streamAllMessages(
                    StreamOptions.<DecodedMessage>builder()
                            .retryDelay(Duration.ofMillis(100)).retryAttempts(1_000)
                            .onValue(m -> {
                                if (m.conversationId().equals(group.id())) {
                                    mine.add(m.id());
                                }
                            })
                            .onFail(() -> streamFailures.add(member.inboxId()))
                            .build());
            resources.add(stream);
        }
        List<Conversation> views = new ArrayList<>();
        for (Client member : members) {
            member.conversations().sync();
            views.add(member.conversations().getConversationById(group.id()).orElseThrow());
        }

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> refused = new CopyOnWriteArrayList<>();
        CountDownLatch halfway = new CountDownLatch(views.size());
        ExecutorService senders = Executors.newFixedThreadPool(views.size());
        List<Future<?>> storm = new ArrayList<>();
        for (Conversation view : views) {
            storm.add(senders.submit(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    if (i == MESSAGES / 2) {
                        halfway.countDown();
                    }
                    try {
                        acknowledged.add(view.send("m" + i));
                    } catch (ParleyException e) { // the kill may take a send's answer with it
                        refused.add(e.toString());
                    }
                }
            }));
        }
        assertThat(halfway.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(nodes.get(0).kill()).as("SIGKILL").isNotZero();
        for (Future<?> sender : storm) {
            sender.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        senders.shutdownNow();
        log.info("cluster storm: {} acknowledged, {} sends refused around the kill: {}", acknowledged.size(),
                refused.size(), refused);
        report.publishEntry("acknowledged", String.valueOf(acknowledged.size()));
        report.publishEntry("refused", String.valueOf(refused.size()));

        // everything acknowledged, at every member, all in one order (a send whose answer the kill took may be there too)
        await().atMost(WAIT).until(() -> received.values().stream().allMatch(l -> Set.copyOf(l).containsAll(acknowledged))
                && received.values().stream().map(List::copyOf).distinct().count() == 1);
        for (List<String> mine : received.values()) {
            assertThat(mine).as("exactly once").doesNotHaveDuplicates();
        }
        assertThat(acknowledged.size()).as("most sends succeed").isGreaterThan(MESSAGES * views.size() / 2);
        assertThat(streamFailures).isEmpty();
    }

    private Client client(List<String> endpoints) {
        Client client = Client.create(ClientOptions.builder().endpoints(endpoints).identity(Identity.generate())
                .heartbeatInterval(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(5)).build());
        resources.add(client);
        return client;
    }

    private static String grpc(List<int[]> ports, int node) {
        return "grpc://127.0.0.1:" + ports.get(node)[0];
    }

    private static String ws(List<int[]> ports, int node) {
        return "ws://127.0.0.1:" + ports.get(node)[1];
    }
}
