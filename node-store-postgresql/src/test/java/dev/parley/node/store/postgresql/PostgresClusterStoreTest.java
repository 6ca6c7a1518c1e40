package dev.parley.node.store.postgresql;

import dev.parley.ConversationType;
import dev.parley.PermissionDeniedException;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two stores (as two nodes would hold) on one PostgreSQL database and schema. */
@Timeout(120)
class PostgresClusterStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @RegisterExtension
    static final TestDatabase database = new TestDatabase();
    private final List<PostgresNodeStore> opened = new ArrayList<>();
    private PostgresNodeStore a;
    private PostgresNodeStore b;

    @BeforeEach
    void openTwo() {
        URI shared = database.freshStore();
        a = open(shared);
        b = open(shared);
        await().atMost(WAIT).until(() -> a.isListening() && b.isListening());
    }

    @AfterEach
    void closeAll() {
        opened.forEach(NodeStore::close);
    }

    private PostgresNodeStore open(URI uri) {
        PostgresNodeStore store = PostgresNodeStore.open(PostgresSettings.from(uri), new NodeClock());
        opened.add(store);
        return store;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Envelope e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void bothShareOneEpochAndOneHistory() {
        assertThat(a.epoch()).isEqualTo(b.epoch());
        a.append("t", bytes("x"), "k", "s").join();
        assertThat(b.read("t", 0, 10)).extracting(PostgresClusterStoreTest::text).containsExactly("x");
        assertThat(b.lastSequence("t")).isEqualTo(1);
    }

    @RepeatedTest(3)
    void concurrentPublishersOnBothMakeOneDenseSequenceInCallOrderPerPublisher() throws Exception {
        int publishers = 4;
        int each = 150;
        Map<String, Appended> acked = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            NodeStore store = p % 2 == 0 ? a : b;
            int publisher = p;
            all.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String payload = publisher + "-" + i;
                    mine.add(store.append("t", bytes(payload), payload, "s").thenAccept(x -> acked.put(payload, x)));
                }
                mine.forEach(CompletableFuture::join);
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

        List<Envelope> log = a.read("t", 0, 10_000);
        assertThat(log).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, publishers * each).boxed().toList());
        for (Envelope e : log) {
            assertThat(acked.get(text(e)).envelope().sequence()).isEqualTo(e.sequence());
            assertThat(acked.get(text(e)).isNew()).isTrue();
        }
        assertThat(log).extracting(Envelope::timestampNs).isSorted();
        for (int p = 0; p < publishers; p++) {
            for (int i = 1; i < each; i++) {
                assertThat(acked.get(p + "-" + i).envelope().sequence())
                        .isGreaterThan(acked.get(p + "-" + (i - 1)).envelope().sequence());
            }
        }
        assertThat(b.lastSequence("t")).isEqualTo(publishers * each);
    }

    @RepeatedTest(3)
    void aKeySentToBothAtOnceIsStoredOnceAndBothGetTheOriginal() {
        int keys = 200;
        List<CompletableFuture<Appended>> viaA = new ArrayList<>();
        List<CompletableFuture<Appended>> viaB = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            viaA.add(a.append("t", bytes("a" + i), "k" + i, "s"));
            viaB.add(b.append("t", bytes("b" + i), "k" + i, "s"));
        }
        for (int i = 0; i < keys; i++) {
            Appended fromA = viaA.get(i).orTimeout(30, TimeUnit.SECONDS).join();
            Appended fromB = viaB.get(i).orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(fromA.isNew()).isNotEqualTo(fromB.isNew());
            assertThat(fromA.envelope().sequence()).isEqualTo(fromB.envelope().sequence());
            assertThat(fromA.envelope().payload()).isEqualTo(fromB.envelope().payload());
        }
        List<Envelope> log = a.read("t", 0, 10_000);
        assertThat(log).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, keys).boxed().toList());
        assertThat(log).extracting(Envelope::idempotencyKey).doesNotHaveDuplicates();
        assertThat(a.storedBytes("s")).isEqualTo(log.stream().mapToLong(e -> e.payload().length).sum());
    }

    @Test
    void appendsQueuedTogetherAnswerEachOnItsOwn() {
        a.putConversation(new ConversationEntry("c1", ConversationType.GROUP, Set.of("alice"), "alice", 1, "g")).join();
        List<CompletableFuture<Appended>> queued = List.of(
                a.appendToConversation("c1", bytes("m1"), "k1", "alice"),
                a.appendToConversation("c1", bytes("intruder"), "k2", "mallory"),
                a.appendToConversation("c1", bytes("m1 again"), "k1", "alice"),
                a.append("other", bytes("o1"), "k1", "alice"),
                a.appendToConversation("c1", bytes("m2"), "k3", "alice"));

        assertThat(queued.get(0).join().envelope().sequence()).isEqualTo(1);
        assertThat(queued.get(1)).failsWithin(WAIT).withThrowableThat()
                .havingCause().isInstanceOf(PermissionDeniedException.class);
        assertThat(queued.get(2).join()).satisfies(x -> {
            assertThat(x.isNew()).isFalse();
            assertThat(text(x.envelope())).isEqualTo("m1");
        });
        assertThat(queued.get(3).join().envelope().sequence()).isEqualTo(1);
        assertThat(queued.get(4).join().envelope().sequence()).isEqualTo(2);
        assertThat(b.read("conv/c1", 0, 10)).extracting(PostgresClusterStoreTest::text).containsExactly("m1", "m2");
        assertThat(b.lastSequence("conv/c1")).isEqualTo(2);
        assertThat(b.storedBytes("alice")).isEqualTo(6);
    }

    @RepeatedTest(3)
    void sendsOnOneRacingARemovalOnTheOtherLandBeforeItOrAreRefused() {
        a.putConversation(new ConversationEntry("c1", ConversationType.GROUP, Set.of("alice", "bob"), "alice", 1, "g")).join();
        int sends = 300;
        List<CompletableFuture<Appended>> bobs = new ArrayList<>();
        CompletableFuture<Optional<Appended>> removal = null;
        for (int i = 0; i < sends; i++) {
            bobs.add(b.appendToConversation("c1", bytes("bob " + i), "bob-" + i, "bob"));
            if (i == sends / 3) {
                removal = a.changeConversation("c1", (current, sequence) -> Optional.of(new ConversationChange.Outcome(
                        current.changedAt(sequence, List.of(), List.of("bob"), current.admins(), current.name()),
                        bytes("bob removed"), List.of())), "remove-bob", "alice");
            }
        }
        long removedAt = removal.orTimeout(30, TimeUnit.SECONDS).join().orElseThrow().envelope().sequence();

        List<Long> landed = new ArrayList<>();
        for (CompletableFuture<Appended> send : bobs) {
            try {
                landed.add(send.orTimeout(30, TimeUnit.SECONDS).join().envelope().sequence());
            } catch (CompletionException refused) {
                assertThat(refused).hasCauseInstanceOf(PermissionDeniedException.class);
            }
        }
        assertThat(landed).allSatisfy(sequence -> assertThat(sequence).isLessThan(removedAt));
        List<Envelope> log = a.read("conv/c1", 0, 10_000);
        assertThat(log).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, landed.size() + 1L).boxed().toList());
        assertThat(log.get(log.size() - 1).sequence()).isEqualTo(removedAt);
        assertThat(b.conversation("c1").orElseThrow().isMember("bob")).isFalse();
    }

    @Test
    void anEntryCommittedOnOneIsReportedOnTheOtherOnceReadable() {
        Map<Long, Boolean> readableWhenReported = new ConcurrentHashMap<>();
        b.onAppended((topic, sequence) -> readableWhenReported.put(sequence, !b.read(topic, sequence - 1, 1).isEmpty()));
        a.append("t", bytes("one"), "k1", "s").join();
        a.append("t", bytes("two"), "k2", "s").join();

        await().atMost(WAIT).until(() -> readableWhenReported.size() == 2);
        assertThat(readableWhenReported).containsOnlyKeys(1L, 2L).doesNotContainValue(false);
    }

    @Test
    void aGroupChangeOnOneIsHeardOnTheOther() {
        List<String> changed = new CopyOnWriteArrayList<>();
        b.onConversationChanged(changed::add);
        a.putConversation(new ConversationEntry("c1", ConversationType.GROUP,
                Set.of("alice", "bob"), "alice", 1, "g")).join();
        a.changeConversation("c1", (current, sequence) -> Optional.of(new ConversationChange.Outcome(
                current.changedAt(sequence, List.of(), List.of("bob"), current.admins(), current.name()), bytes("bye"),
                List.of())), "remove-bob", "alice").join();

        await().atMost(WAIT).until(() -> changed.contains("c1"));
        assertThat(b.conversation("c1").orElseThrow().isMember("bob")).isFalse();
    }

    @Test
    void anEntryWhoseHintWasLostIsFoundByTheReconcile() throws Exception {
        Map<Long, Boolean> reported = new ConcurrentHashMap<>();
        b.onAppended((topic, sequence) -> reported.put(sequence, true));
        assertThat(b.read("t", 0, 10)).isEmpty(); // b's readers follow t
        for (int i = 1; i <= 3; i++) {
            assertThat(database.terminateConnections(NotificationListener.APPLICATION_NAME)).isPositive();
            a.append("t", bytes("m" + i), "k" + i, "s").orTimeout(10, TimeUnit.SECONDS).join();
            long sequence = i;
            await().atMost(WAIT).until(() -> reported.containsKey(sequence));
        }
        await().atMost(WAIT).until(() -> b.isListening());
    }

    @RepeatedTest(2)
    void killedConnectionsFailWritesRetryablyAndLoseOrDuplicateNothing() throws Exception {
        Map<Long, Boolean> reportedOnB = new ConcurrentHashMap<>();
        b.onAppended((topic, sequence) -> reportedOnB.put(sequence, true));
        b.read("t", 0, 1);
        int each = 300;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Map<String, Appended> acked = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        for (PostgresNodeStore store : List.of(a, b)) {
            String name = store == a ? "a" : "b";
            publishers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    String key = name + i;
                    while (!acked.containsKey(key)) {
                        try {
                            acked.put(key, store.append("t", bytes(key), key, name).orTimeout(20, TimeUnit.SECONDS).join());
                        } catch (CompletionException e) {
                            failures.add(e.getCause()); // retried with the same key, as a client does
                        }
                    }
                }
            }));
        }
        CompletableFuture<Void> publishing = CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new));
        int killedWhilePublishing = 0;
        do { // the first kill at once, while the publishers have barely begun
            if (database.terminateConnections(null) > 0 && !publishing.isDone()) {
                killedWhilePublishing++;
            }
            Thread.sleep(150); // lets publishes run between kills; not a wait for a result
        } while (killedWhilePublishing < 6 && !publishing.isDone());
        publishing.get(100, TimeUnit.SECONDS);

        // whether a kill fails an append or only a connection the pool replaces is timing; what must
        // hold: connections died under the storm, failures are typed, nothing lost or repeated
        assertThat(killedWhilePublishing).as("connections killed while publishing").isPositive();
        assertThat(failures).allSatisfy(f -> assertThat(f).isInstanceOf(StoreException.class));
        List<Envelope> log = a.read("t", 0, 10_000);
        assertThat(log).extracting(Envelope::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * each).boxed().toList());
        assertThat(log).extracting(PostgresClusterStoreTest::text).doesNotHaveDuplicates().hasSize(2 * each);
        for (Envelope e : log) {
            assertThat(acked.get(text(e)).envelope().sequence()).isEqualTo(e.sequence());
        }
        await().atMost(WAIT).until(() -> a.isListening() && b.isListening());
        await().atMost(WAIT).until(() -> reportedOnB.containsKey(2L * each));
    }
}
