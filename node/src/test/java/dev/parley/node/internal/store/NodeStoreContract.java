package dev.parley.node.internal.store;

import dev.parley.ConversationType;
import dev.parley.PermissionDeniedException;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.MemberSpan;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What every {@link NodeStore} does; a subclass opens the store under test. */
@Timeout(60)
public abstract class NodeStoreContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    protected final TestClock wallClock = new TestClock();
    protected NodeStore store;
    private final List<NodeStore> opened = new ArrayList<>();

    /** A new, empty store reading {@code clock}. */
    protected abstract NodeStore openFresh(NodeClock clock);

    @BeforeEach
    void openStore() {
        store = track(openFresh(new NodeClock(wallClock)));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(NodeStore::close);
    }

    protected NodeStore track(NodeStore s) {
        opened.add(s);
        return s;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static Appended append(NodeStore s, String topic, String payload, String key) {
        return s.append(topic, bytes(payload), key, "sender").orTimeout(10, TimeUnit.SECONDS).join();
    }

    protected Appended append(String topic, String payload) {
        return append(store, topic, payload, "key-" + payload);
    }

    @Test
    void sequencesAreDensePerTopicFromOneInCallOrder() {
        assertThat(append("t/a", "a1").envelope().sequence()).isEqualTo(1);
        assertThat(append("t/a", "a2").envelope().sequence()).isEqualTo(2);
        assertThat(append("t/b", "b1").envelope().sequence()).isEqualTo(1);
        assertThat(append("t/a", "a3").envelope().sequence()).isEqualTo(3);

        List<Envelope> a = store.read("t/a", 0, 100);
        assertThat(a).extracting(Envelope::sequence).containsExactly(1L, 2L, 3L);
        assertThat(a).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8)).containsExactly("a1", "a2", "a3");
        assertThat(a.get(0)).satisfies(e -> {
            assertThat(e.topic()).isEqualTo("t/a");
            assertThat(e.idempotencyKey()).isEqualTo("key-a1");
            assertThat(e.senderInboxId()).isEqualTo("sender");
        });
        assertThat(a).extracting(Envelope::timestampNs).isSorted();
        assertThat(store.lastSequence("t/a")).isEqualTo(3);
        assertThat(store.firstRetained("t/a")).isEqualTo(1);
    }

    @Test
    void readsFromACursorUpToALimit() {
        LongStream.rangeClosed(1, 10).forEach(i -> append("t", "m" + i));
        assertThat(store.read("t", 4, 3)).extracting(Envelope::sequence).containsExactly(5L, 6L, 7L);
        assertThat(store.read("t", 10, 3)).isEmpty();
    }

    @Test
    void anUnknownTopicIsEmpty() {
        assertThat(store.read("nothing", 0, 10)).isEmpty();
        assertThat(store.lastSequence("nothing")).isZero();
        assertThat(store.firstRetained("nothing")).isEqualTo(1);
    }

    @Test
    void aResentKeyGivesBackTheOriginalEntry() {
        Appended first = append(store, "t", "original", "k");
        Appended again = append(store, "t", "resent", "k");

        assertThat(first.isNew()).isTrue();
        assertThat(again.isNew()).isFalse();
        assertThat(again.envelope().sequence()).isEqualTo(first.envelope().sequence());
        assertThat(again.envelope().timestampNs()).isEqualTo(first.envelope().timestampNs());
        assertThat(again.envelope().payload()).isEqualTo(bytes("original"));
        assertThat(store.read("t", 0, 10)).hasSize(1);
        assertThat(append(store, "t", "next", "k2").envelope().sequence()).isEqualTo(2);
        assertThat(append(store, "other", "same key elsewhere", "k").isNew()).isTrue();
    }

    @Test
    void concurrentAppendsGetDenseUniqueSequencesThatReadGivesBack() throws Exception {
        int threads = 4;
        int perThread = 300;
        List<String> topics = List.of("c/1", "c/2", "c/3");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<String, Appended> byPayload = new ConcurrentHashMap<>();
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                all.add(CompletableFuture.runAsync(() -> {
                    List<CompletableFuture<Void>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String payload = thread + "-" + i;
                        mine.add(store.append(topics.get(i % topics.size()), bytes(payload), payload, "s")
                                .thenAccept(a -> byPayload.put(payload, a)));
                    }
                    mine.forEach(CompletableFuture::join);
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(byPayload).hasSize(threads * perThread);
        for (String topic : topics) {
            List<Envelope> log = store.read(topic, 0, 10_000);
            assertThat(log).extracting(Envelope::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
            for (Envelope e : log) {
                Appended acked = byPayload.get(new String(e.payload(), StandardCharsets.UTF_8));
                assertThat(acked.isNew()).isTrue();
                assertThat(acked.envelope().topic()).isEqualTo(topic);
                assertThat(acked.envelope().sequence()).isEqualTo(e.sequence());
            }
            assertThat(store.lastSequence(topic)).isEqualTo(log.size());
        }
        // per thread, appends to one topic got increasing sequences (call order)
        for (int t = 0; t < threads; t++) {
            for (int i = topics.size(); i < perThread; i++) {
                assertThat(byPayload.get(t + "-" + i).envelope().sequence())
                        .isGreaterThan(byPayload.get(t + "-" + (i - topics.size())).envelope().sequence());
            }
        }
    }

    @Test
    void newEntriesAreReportedOnceReadable() {
        Map<Long, Boolean> readableWhenReported = new ConcurrentHashMap<>();
        store.onAppended((topic, sequence) ->
                readableWhenReported.put(sequence, !store.read(topic, sequence - 1, 1).isEmpty()));
        append("t", "one");
        append("t", "two");
        append(store, "t", "again", "key-one");

        await().atMost(WAIT).until(() -> readableWhenReported.size() == 2);
        assertThat(readableWhenReported).containsOnlyKeys(1L, 2L).doesNotContainValue(false);
    }

    @Test
    void trimByCountKeepsTheNewestAndForgetsTheirKeys() {
        LongStream.rangeClosed(1, 10).forEach(i -> append("t", "m" + i));
        append("u", "u1");

        assertThat(store.trim(new Retention(Optional.empty(), OptionalLong.of(3)))).isEqualTo(7);

        assertThat(store.read("t", 0, 100)).extracting(Envelope::sequence).containsExactly(8L, 9L, 10L);
        assertThat(store.firstRetained("t")).isEqualTo(8);
        assertThat(store.lastSequence("t")).isEqualTo(10);
        assertThat(store.read("u", 0, 100)).hasSize(1);
        Appended resent = append("t", "m1");
        assertThat(resent.isNew()).isTrue();
        assertThat(resent.envelope().sequence()).isEqualTo(11);
        assertThat(append("t", "m9").isNew()).isFalse();
    }

    @Test
    void trimByAgeRemovesOlderEntries() {
        append("t", "old1");
        append("t", "old2");
        wallClock.advance(Duration.ofHours(2));
        append("t", "new3");

        assertThat(store.trim(new Retention(Optional.of(Duration.ofHours(1)), OptionalLong.empty()))).isEqualTo(2);

        assertThat(store.read("t", 0, 100)).extracting(Envelope::sequence).containsExactly(3L);
        assertThat(store.firstRetained("t")).isEqualTo(3);
        assertThat(store.read("t", 1, 100)).extracting(Envelope::sequence).containsExactly(3L);
    }

    @Test
    void trimByAgeAndCountTogetherTakeEachTopicsOldestOnly() {
        append("old", "o1");
        append("old", "o2");
        append("mixed", "m1");
        append("mixed", "m2");
        wallClock.advance(Duration.ofHours(2));
        LongStream.rangeClosed(3, 6).forEach(i -> append("mixed", "m" + i));
        append("young", "y1");

        Retention retention = new Retention(Optional.of(Duration.ofHours(1)), OptionalLong.of(3));
        assertThat(store.trim(retention)).isEqualTo(5); // old: 2 by age; mixed: 2 by age, 1 more by count

        assertThat(store.read("old", 0, 100)).isEmpty();
        assertThat(store.firstRetained("old")).isEqualTo(3);
        assertThat(store.read("mixed", 0, 100)).extracting(Envelope::sequence).containsExactly(4L, 5L, 6L);
        assertThat(store.firstRetained("mixed")).isEqualTo(4);
        assertThat(store.read("young", 0, 100)).extracting(Envelope::sequence).containsExactly(1L);
        assertThat(store.trim(retention)).isZero();
    }

    @Test
    void trimmingEverythingNeverLowersTheLastSequence() {
        append("t", "a");
        append("t", "b");
        wallClock.advance(Duration.ofDays(2));

        assertThat(store.trim(new Retention(Optional.of(Duration.ofDays(1)), OptionalLong.empty()))).isEqualTo(2);

        assertThat(store.read("t", 0, 100)).isEmpty();
        assertThat(store.lastSequence("t")).isEqualTo(2);
        assertThat(store.firstRetained("t")).isEqualTo(3);
        assertThat(append("t", "c").envelope().sequence()).isEqualTo(3);
        assertThat(store.trim(Retention.KEEP_ALL)).isZero();
    }

    @Test
    void storedBytesPerSenderRiseWithNewEntriesAndFallWithTrims() {
        store.append("t", new byte[100], "a1", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        store.append("u", new byte[50], "a2", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        store.append("t", new byte[7], "b1", "bob").orTimeout(10, TimeUnit.SECONDS).join();
        store.append("t", new byte[100], "a1", "alice").orTimeout(10, TimeUnit.SECONDS).join(); // resent key
        assertThat(store.storedBytes("alice")).isEqualTo(150);
        assertThat(store.storedBytes("bob")).isEqualTo(7);
        assertThat(store.storedBytes("nobody")).isZero();

        wallClock.advance(Duration.ofHours(2));
        store.append("t", new byte[30], "a3", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(store.trim(new Retention(Optional.of(Duration.ofHours(1)), OptionalLong.empty()))).isEqualTo(3);
        assertThat(store.storedBytes("alice")).isEqualTo(30);
        assertThat(store.storedBytes("bob")).isZero();

        store.append("t", new byte[20], "a4", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(store.trim(new Retention(Optional.empty(), OptionalLong.of(1)))).isEqualTo(1);
        assertThat(store.storedBytes("alice")).isEqualTo(20);
    }

    @Test
    void keepsConversations() {
        ConversationEntry group = new ConversationEntry("c1", ConversationType.GROUP, Set.of("a", "b", "c"), "a", 42,
                "friends");
        store.putConversation(group).orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(store.conversation("c1")).contains(group);
        assertThat(store.conversation("c2")).isEmpty();
        assertThatThrownBy(() -> store.putConversation(group).orTimeout(10, TimeUnit.SECONDS).join())
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    /** A change that adds {@code inbox} (welcoming it on {@code welcome/<inbox>}), counting its calls. */
    protected static final class Adding implements ConversationChange {
        public final String inbox;
        public final AtomicInteger applied = new AtomicInteger();
        public final List<Boolean> settled = new CopyOnWriteArrayList<>();

        public Adding(String inbox) {
            this.inbox = inbox;
        }

        @Override
        public Optional<Outcome> apply(ConversationEntry current, long sequence) {
            applied.incrementAndGet();
            if (current.isMember(inbox)) {
                return Optional.empty();
            }
            ConversationEntry next = current.changedAt(sequence, List.of(inbox), List.of(), current.admins(), current.name());
            return Optional.of(new Outcome(next, bytes("added " + inbox), List.of(
                    new SideEntry("welcome/" + inbox, bytes("welcome at " + sequence), "w:" + sequence, "node"))));
        }

        @Override
        public void settled(boolean written) {
            settled.add(written);
        }
    }

    /** A change that removes {@code inbox}. */
    protected static ConversationChange removing(String inbox) {
        return (current, sequence) -> Optional.of(new ConversationChange.Outcome(
                current.changedAt(sequence, List.of(), List.of(inbox), current.admins(), current.name()),
                bytes("removed " + inbox), List.of()));
    }

    protected static <T> T done(CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }

    protected ConversationEntry putGroup(String id, String... members) {
        ConversationEntry group = new ConversationEntry(id, ConversationType.GROUP, Set.of(members), members[0], 42, "g");
        done(store.putConversation(group));
        return group;
    }

    @Test
    void anAnswerAtOnceIsTheEntryAppendGivesOrNoneAtAll() {
        putGroup("c1", "alice", "bob");
        Appended now = store.appendNow("t", bytes("one"), "k1", "sender");
        Appended inConversation = store.appendToConversationNow("c1", bytes("hi"), "k1", "bob");
        if (now == null) { // a store that answers only through its futures stored nothing here
            assertThat(inConversation).isNull();
            assertThat(store.lastSequence("t")).isZero();
            assertThat(store.lastSequence("conv/c1")).isZero();
            return;
        }
        assertThat(now.isNew()).isTrue();
        assertThat(now.envelope().sequence()).isEqualTo(1);
        assertThat(inConversation.isNew()).isTrue();
        assertThat(inConversation.envelope().topic()).isEqualTo("conv/c1");
        Appended resent = append(store, "t", "one again", "k1");
        assertThat(resent.isNew()).isFalse();
        assertThat(resent.envelope().sequence()).isEqualTo(1);
        assertThat(store.appendToConversationNow("c1", bytes("hi again"), "k1", "bob").isNew()).isFalse();
        assertThatThrownBy(() -> store.appendToConversationNow("c1", bytes("no"), "k2", "mallory"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> store.appendToConversationNow("nope", bytes("no"), "k3", "alice"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(store.lastSequence("conv/c1")).isEqualTo(1);
    }

    @Test
    void theUnboxedListenerHearsWhatTheBoxedOneWould() {
        Map<Long, String> reported = new ConcurrentHashMap<>();
        store.onAppendedSequence((topic, sequence) -> reported.put(sequence, topic));
        append("t", "one");
        append("t", "two");
        append(store, "t", "again", "key-one");

        await().atMost(WAIT).until(() -> reported.size() == 2);
        assertThat(reported).containsExactlyInAnyOrderEntriesOf(Map.of(1L, "t", 2L, "t"));
    }

    @Test
    void onlyMembersAppendToAConversationButAResentKeyGetsItsEntryBack() {
        putGroup("c1", "alice", "bob");
        Appended first = done(store.appendToConversation("c1", bytes("hi"), "k1", "bob"));
        assertThat(first.envelope().sequence()).isEqualTo(1);
        assertThat(first.envelope().topic()).isEqualTo("conv/c1");
        assertThat(store.appendToConversation("c1", bytes("no"), "k2", "mallory"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class);
        assertThat(store.appendToConversation("nope", bytes("no"), "k3", "alice"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class);

        done(store.changeConversation("c1", removing("bob"), "remove-bob", "alice"));

        assertThat(store.appendToConversation("c1", bytes("late"), "k4", "bob"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class);
        Appended resent = done(store.appendToConversation("c1", bytes("hi again"), "k1", "bob"));
        assertThat(resent.isNew()).isFalse();
        assertThat(resent.envelope().sequence()).isEqualTo(1);
        assertThat(store.read("conv/c1", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(store.lastSequence("conv/c1")).isEqualTo(2);
    }

    @Test
    void aChangeStoresItsEntrySideEntriesAndConversationAtOnceAndOnlyOncePerKey() {
        putGroup("c1", "alice");
        append(store, "conv/c1", "before", "k0");
        Adding addBob = new Adding("bob");

        Optional<Appended> changed = done(store.changeConversation("c1", addBob, "add-bob", "alice"));

        assertThat(changed).hasValueSatisfying(a -> {
            assertThat(a.isNew()).isTrue();
            assertThat(a.envelope().sequence()).isEqualTo(2);
            assertThat(a.envelope().senderInboxId()).isEqualTo("alice");
            assertThat(a.envelope().idempotencyKey()).isEqualTo("add-bob");
        });
        assertThat(addBob.settled).containsExactly(true);
        ConversationEntry stored = store.conversation("c1").orElseThrow();
        assertThat(stored.members()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(stored.visibleAfter("bob", 0)).contains(MemberSpan.openFrom(2));
        assertThat(stored.changedAtSequence()).isEqualTo(2);
        assertThat(store.read("welcome/bob", 0, 10)).singleElement()
                .satisfies(e -> assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("welcome at 2"));

        Optional<Appended> resent = done(store.changeConversation("c1", new Adding("carol"), "add-bob", "alice"));
        assertThat(resent).hasValueSatisfying(a -> {
            assertThat(a.isNew()).isFalse();
            assertThat(a.envelope().sequence()).isEqualTo(2);
        });
        assertThat(store.conversation("c1").orElseThrow().members()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(addBob.applied).hasValue(1);

        Adding again = new Adding("bob");
        assertThat(done(store.changeConversation("c1", again, "add-bob-again", "alice"))).isEmpty();
        assertThat(again.applied).hasValue(1);
        assertThat(again.settled).isEmpty();
        assertThat(store.lastSequence("conv/c1")).isEqualTo(2);
    }

    @Test
    void aRefusedChangeWritesNothingAndLeavesItsSequenceFree() {
        putGroup("c1", "alice", "bob");
        ConversationChange refusing = (current, sequence) -> {
            throw new PermissionDeniedException("not at " + sequence);
        };
        assertThat(store.changeConversation("c1", refusing, "k", "bob"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class)
                .withMessageContaining("not at 1");
        assertThat(store.changeConversation("nope", refusing, "k", "bob"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class);
        assertThat(store.conversation("c1").orElseThrow().changedAtSequence()).isZero();
        assertThat(done(store.appendToConversation("c1", bytes("m"), "k", "bob")).envelope().sequence()).isEqualTo(1);
    }

    @Test
    void membershipSpansReadBackInOrderAfterRemovalAndReadding() {
        putGroup("c1", "alice", "bob");
        append(store, "conv/c1", "m1", "k1");
        done(store.changeConversation("c1", removing("bob"), "r1", "alice")); // 2
        append(store, "conv/c1", "m3", "k3");
        done(store.changeConversation("c1", new Adding("bob"), "a1", "alice")); // 4

        ConversationEntry c = store.conversation("c1").orElseThrow();
        assertThat(c.spans().get("bob")).containsExactly(new MemberSpan(MemberSpan.FROM_CREATION, 2), MemberSpan.openFrom(4));
        assertThat(c.visibleAfter("bob", 2)).contains(MemberSpan.openFrom(4));
        assertThat(c.visibleAfter("bob", 1)).contains(new MemberSpan(2, 2));
        assertThat(c.admins()).containsExactly("alice");
        assertThat(c.isMember("bob")).isTrue();
        assertThat(c.wasEverMember("carol")).isFalse();
    }

    @Test
    void freshStoresHaveDifferentEpochs() {
        NodeStore other = track(openFresh(new NodeClock()));
        assertThat(store.epoch()).isNotBlank().isNotEqualTo(other.epoch());
    }
}
