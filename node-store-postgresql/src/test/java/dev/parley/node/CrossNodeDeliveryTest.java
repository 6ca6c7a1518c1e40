package dev.parley.node;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.PermissionDeniedException;
import dev.parley.internal.Topics;
import dev.parley.node.store.postgresql.TestDatabase;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Two nodes on one PostgreSQL database: what one stores reaches the other's subscribers and access checks. */
@Timeout(120)
class CrossNodeDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private static TestDatabase database;
    private final List<Node> nodes = new ArrayList<>();
    private Node nodeA;
    private Node nodeB;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void startTwo() {
        URI shared = database.freshStore();
        nodeA = start("a", shared);
        nodeB = start("b", shared);
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    private Node start(String name, URI store) {
        Node node = Node.builder().name(name + "-" + System.nanoTime()).store(store).build().start();
        nodes.add(node);
        return node;
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static long send(NodeSession s, String topic, String text) {
        return join(s.publish(topic, text.getBytes(StandardCharsets.UTF_8), "m-" + text)).sequence();
    }

    @RepeatedTest(3)
    void aSubscriberOnBGetsWhatAPublishedInOrderOnceWithNoGapBetweenReplayAndLive() {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        NodeSession onA = Collector.login(nodeA, alice);
        String group = join(onA.createConversation(ConversationType.GROUP, List.of(bob.inboxId()), "g"));
        String topic = Topics.conversation(group);
        int before = 50;
        int during = 150;
        IntStream.rangeClosed(1, before).forEach(i -> send(onA, topic, "m" + i));

        CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                () -> IntStream.rangeClosed(before + 1, before + during).forEach(i -> send(onA, topic, "m" + i)));
        Collector live = new Collector();
        Collector.login(nodeB, bob).subscribe(Map.of(topic, 0L), 100_000, HEARTBEAT, live);
        join(publishing);

        int total = before + during;
        await().atMost(WAIT).until(() -> live.envelopes.size() >= total);
        assertThat(live.envelopes).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(live.texts()).containsExactlyElementsOf(IntStream.rangeClosed(1, total).mapToObj(i -> "m" + i).toList());
        assertThat(live.errors).isEmpty();
    }

    @Test
    void aRemovalOnAStopsTheRemovedMembersReadsAndWritesOnB() {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        NodeSession onA = Collector.login(nodeA, alice);
        NodeSession bobOnB = Collector.login(nodeB, bob);
        String group = join(onA.createConversation(ConversationType.GROUP, List.of(bob.inboxId()), "g"));
        String topic = Topics.conversation(group);
        send(bobOnB, topic, "from b");
        assertThat(bobOnB.query(topic, 0, 10)).hasSize(1); // b caches the conversation now

        long removal = join(onA.updateGroup(new GroupChange(group, List.of(), List.of(bob.inboxId()), false,
                Optional.empty(), "remove-bob"))).sequence();
        send(onA, topic, "after");

        await().atMost(WAIT).untilAsserted(() -> assertThat(bobOnB.query(topic, 0, 10))
                .extracting(Envelope::sequence).containsExactly(1L, removal));
        assertThatThrownBy(() -> join(bobOnB.publish(topic, "late".getBytes(StandardCharsets.UTF_8), "late")))
                .hasCauseInstanceOf(PermissionDeniedException.class);
    }
}
