package dev.parley.node;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.PermissionDeniedException;
import dev.parley.TransportException;
import dev.parley.internal.Topics;
import dev.parley.node.store.postgresql.TestDatabase;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
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
    @RegisterExtension
    static final TestDatabase database = new TestDatabase();
    private final List<Node> nodes = new ArrayList<>();
    private Node nodeA;
    private Node nodeB;

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
    void aConversationCreatedAgainOnBWithTheSameKeyIsTheOneCreatedOnA() {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        String onA = join(Collector.login(nodeA, alice).createConversation(ConversationType.GROUP,
                List.of(bob.inboxId()), "g", "create-once"));
        String onB = join(Collector.login(nodeB, alice).createConversation(ConversationType.GROUP,
                List.of(bob.inboxId()), "g", "create-once"));

        assertThat(onB).as("a client failing over re-sends its key to another node").isEqualTo(onA);
        assertThat(Collector.login(nodeB, bob).query(Topics.welcome(bob.inboxId()), 0, 10)).hasSize(1);
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

    /** What a client does: resubscribes from its cursor when the node ends a subscription with a retryable error. */
    private static final class Resubscribing implements SubscriptionListener {
        private final NodeSession session;
        private final String topic;
        final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        Resubscribing(NodeSession session, String topic) {
            this.session = session;
            this.topic = topic;
            subscribe();
        }

        private void subscribe() {
            long cursor = envelopes.isEmpty() ? 0 : envelopes.get(envelopes.size() - 1).sequence();
            try {
                session.subscribe(Map.of(topic, cursor), 100_000, HEARTBEAT, this);
            } catch (RuntimeException e) { // refused at once (its access check could not read): retried the same way
                onError(e);
            }
        }

        @Override
        public void onEnvelope(Envelope envelope) {
            envelopes.add(envelope);
        }

        @Override
        public void onHeartbeat() {
        }

        @Override
        public void onError(Throwable error) {
            errors.add(error);
            if (error instanceof TransportException t && t.isRetryable()) {
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(this::subscribe);
            }
        }
    }

    @RepeatedTest(2)
    void killedDatabaseConnectionsFailPublishesRetryablyAndBStillGetsEverythingOnceInOrder() throws Exception {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        NodeSession onA = Collector.login(nodeA, alice);
        String group = join(onA.createConversation(ConversationType.GROUP, List.of(bob.inboxId()), "g"));
        String topic = Topics.conversation(group);
        Resubscribing bobOnB = new Resubscribing(Collector.login(nodeB, bob), topic);
        int total = 300;
        List<Throwable> publishFailures = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= total; i++) {
                boolean done = false;
                while (!done) {
                    try {
                        send(onA, topic, "m" + i); // a retry sends the same idempotency key
                        done = true;
                    } catch (CompletionException e) {
                        publishFailures.add(e.getCause());
                    }
                }
            }
        });
        int killsWhilePublishing = 0;
        do { // the first kill at once, while the publisher has barely begun
            if (database.terminateConnections(null) > 0 && !publishing.isDone()) {
                killsWhilePublishing++;
            }
            Thread.sleep(100); // lets publishes run between kills; not a wait for a result
        } while (killsWhilePublishing < 5 && !publishing.isDone());
        publishing.get(100, TimeUnit.SECONDS);

        assertThat(publishFailures).allSatisfy(f -> assertThat(f).isInstanceOfSatisfying(TransportException.class,
                t -> assertThat(t.isRetryable()).isTrue()));
        await().atMost(WAIT).until(() -> bobOnB.envelopes.size() >= total);
        assertThat(bobOnB.envelopes).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(bobOnB.envelopes).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, total).mapToObj(i -> "m" + i).toList());
        assertThat(bobOnB.errors).allSatisfy(f -> assertThat(f).isInstanceOfSatisfying(TransportException.class,
                t -> assertThat(t.isRetryable()).isTrue()));
        // whether a kill fails a publish or only a pooled connection the store then replaces is timing:
        // what must hold is that connections died under the storm, and that nothing was lost or repeated
        assertThat(killsWhilePublishing).as("connections killed while publishing").isPositive();
    }
}
