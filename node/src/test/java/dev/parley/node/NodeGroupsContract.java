package dev.parley.node;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.LimitExceededException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.internal.Topics;
import dev.parley.protocol.GroupUpdate;
import dev.parley.protocol.MessagePayload;
import dev.parley.protocol.Welcome;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Groups whose members change while their streams run, straight on the node's sessions; a subclass picks the store. */
@Timeout(60)
abstract class NodeGroupsContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private final List<Node> nodes = new ArrayList<>();
    @TempDir
    Path dir;

    /** {@code builder} with the store under test. */
    abstract Node.Builder withStore(Node.Builder builder, Path dir);

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    Node start(NodeLimits limits) {
        Node node = withStore(Node.builder().name("groups-" + nodes.size()), dir.resolve("n" + nodes.size()))
                .limits(limits).build().start();
        nodes.add(node);
        return node;
    }

    Node start() {
        return start(NodeLimits.builder().build());
    }

    /** Alice (creator, admin) and bob, logged in to a new node, and a group of the two. */
    record Two(Node node, Identity alice, Identity bob, NodeSession a, NodeSession b, String group) {
    }

    Two twoInAGroup() {
        Node node = start();
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        NodeSession a = Collector.login(node, alice);
        return new Two(node, alice, bob, a, Collector.login(node, bob), group(a, bob));
    }

    static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    static String group(NodeSession creator, Identity... members) {
        return join(creator.createConversation(ConversationType.GROUP,
                java.util.Arrays.stream(members).map(Identity::inboxId).toList(), "g"));
    }

    static PublishResult add(NodeSession s, String group, Identity... inboxes) {
        return join(s.updateGroup(change(group, List.of(inboxes), List.of(), false, Optional.empty())));
    }

    static PublishResult remove(NodeSession s, String group, Identity... inboxes) {
        return join(s.updateGroup(change(group, List.of(), List.of(inboxes), false, Optional.empty())));
    }

    static PublishResult leave(NodeSession s, String group) {
        return join(s.updateGroup(change(group, List.of(), List.of(), true, Optional.empty())));
    }

    static GroupChange change(String group, List<Identity> add, List<Identity> remove, boolean leave,
                              Optional<String> name) {
        return new GroupChange(group, add.stream().map(Identity::inboxId).toList(),
                remove.stream().map(Identity::inboxId).toList(), leave, name, "change-" + System.nanoTime());
    }

    static long send(NodeSession s, String group, String text) {
        return join(s.publish(Topics.conversation(group), text.getBytes(StandardCharsets.UTF_8), "m-" + System.nanoTime()))
                .sequence();
    }

    /** The group update in {@code e}, or null when it is another message. */
    static GroupUpdate updateIn(Envelope e) {
        try {
            MessagePayload payload = MessagePayload.parseFrom(e.payload());
            return payload.getContentType().equals(ContentTypeId.GROUP_UPDATED.toString())
                    ? GroupUpdate.parseFrom(payload.getContent()) : null;
        } catch (InvalidProtocolBufferException notOne) {
            return null;
        }
    }

    static List<Long> sequences(List<Envelope> envelopes) {
        return envelopes.stream().map(Envelope::sequence).toList();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** A new identity whose inbox id sorts before those of {@code others}. */
    static Identity sortingBefore(Identity... others) {
        String least = sorted(others).get(0);
        Identity id = Identity.generate();
        while (id.inboxId().compareTo(least) > 0) {
            id = Identity.generate();
        }
        return id;
    }

    static List<String> sorted(Identity... inboxes) {
        return java.util.Arrays.stream(inboxes).map(Identity::inboxId).sorted().toList();
    }

    static List<Welcome> welcomes(NodeSession s) throws InvalidProtocolBufferException {
        List<Welcome> all = new ArrayList<>();
        for (Envelope e : s.query(Topics.welcome(s.inboxId()), 0, 100)) {
            all.add(Welcome.parseFrom(e.payload()));
        }
        return all;
    }

    @Test
    void anAddedMemberReadsFromItsUpdateOnAndItsWelcomeSaysWhere() throws Exception {
        Two two = twoInAGroup();
        Node node = two.node();
        NodeSession a = two.a();
        Identity carol = Identity.generate();
        NodeSession c = Collector.login(node, carol);
        String g = two.group();
        String topic = Topics.conversation(g);
        send(a, g, "m1");
        send(a, g, "m2");
        assertThatThrownBy(() -> c.query(topic, 0, 10)).isInstanceOf(PermissionDeniedException.class);

        PublishResult added = add(a, g, carol);
        send(a, g, "m4");

        assertThat(added.sequence()).isEqualTo(3);
        assertThat(sequences(c.query(topic, 0, 100))).containsExactly(3L, 4L);
        assertThat(sequences(c.query(topic, 1, 1))).containsExactly(3L);
        Collector live = new Collector();
        c.subscribe(Map.of(topic, 0L), 100, HEARTBEAT, live);
        send(a, g, "m5");
        await().atMost(WAIT).until(() -> live.envelopes.size() == 3);
        assertThat(sequences(live.envelopes)).containsExactly(3L, 4L, 5L);
        GroupUpdate update = updateIn(live.envelopes.get(0));
        assertThat(update.getInitiatedByInboxId()).isEqualTo(two.alice().inboxId());
        assertThat(update.getAddedInboxIdsList()).containsExactly(carol.inboxId());
        assertThat(update.getMemberInboxIdsList()).isEqualTo(sorted(two.alice(), two.bob(), carol));
        assertThat(update.getAdminInboxIdsList()).containsExactly(two.alice().inboxId());
        assertThat(live.envelopes.get(0).senderInboxId()).isEqualTo(two.alice().inboxId());

        Welcome welcome = welcomes(c).get(0);
        assertThat(welcome.getConversationId()).isEqualTo(g);
        assertThat(welcome.getJoinedAtSequence()).isEqualTo(3);
        assertThat(welcome.getMemberInboxIdsList()).isEqualTo(sorted(two.alice(), two.bob(), carol));
        assertThat(welcome.getAdminInboxIdsList()).containsExactly(two.alice().inboxId());
        assertThat(welcome.getName()).isEqualTo("g");
        Welcome atCreation = welcomes(Collector.login(node, two.bob())).get(0);
        assertThat(atCreation.getJoinedAtSequence()).isZero();
        assertThat(atCreation.getAdminInboxIdsList()).containsExactly(two.alice().inboxId());
    }

    @Test
    void aRemovedMemberMidReplayGetsItsRemovalAndNothingAfterWhileItsOtherTopicsGoOn() {
        Two two = twoInAGroup();
        NodeSession a = two.a();
        NodeSession b = two.b();
        String g = two.group();
        String other = group(a, two.bob());
        for (int i = 1; i <= 5; i++) {
            send(a, g, "m" + i);
        }
        Collector bobs = new Collector();
        Subscription sub = b.subscribe(Map.of(Topics.conversation(g), 0L, Topics.conversation(other), 0L), 2,
                HEARTBEAT, bobs);
        await().atMost(WAIT).until(() -> bobs.envelopes.size() == 2);

        long removedAt = remove(a, g, two.bob()).sequence();
        send(a, g, "after 1");
        send(a, g, "after 2");
        sub.request(100);

        assertThat(removedAt).isEqualTo(6);
        await().atMost(WAIT).until(() -> bobs.envelopes.size() == 6);
        send(a, other, "elsewhere");
        await().atMost(WAIT).until(() -> bobs.envelopes.size() == 7);
        send(a, g, "after 3");
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> bobs.envelopes.size() == 7);
        List<Envelope> fromGroup = bobs.envelopes.stream().filter(e -> e.topic().equals(Topics.conversation(g))).toList();
        assertThat(sequences(fromGroup)).isEqualTo(range(1, 6));
        assertThat(updateIn(fromGroup.get(5)).getRemovedInboxIdsList()).containsExactly(two.bob().inboxId());
        assertThat(bobs.texts()).contains("elsewhere");
        assertThat(bobs.errors).isEmpty();

        assertThat(sequences(b.query(Topics.conversation(g), 0, 100))).isEqualTo(range(1, 6));
        assertThat(b.query(Topics.conversation(g), 6, 100)).isEmpty();
        assertThatThrownBy(() -> join(b.publish(Topics.conversation(g), "late".getBytes(), "late")))
                .hasCauseInstanceOf(PermissionDeniedException.class);
        Collector again = new Collector();
        b.subscribe(Map.of(Topics.conversation(g), Topics.LATEST), 10, HEARTBEAT, again);
        send(a, g, "after 4");
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> again.envelopes.isEmpty());
        assertThat(again.errors).isEmpty();
    }

    @Test
    void aReaddedMemberReadsItsSpansAndNotTheGapBetween() {
        Two two = twoInAGroup();
        NodeSession a = two.a();
        NodeSession b = two.b();
        String g = two.group();
        send(a, g, "m1");                       // 1
        long removed = remove(a, g, two.bob()).sequence(); // 2
        send(a, g, "gap");                      // 3
        long readded = add(a, g, two.bob()).sequence();    // 4
        send(a, g, "m5");                       // 5

        assertThat(List.of(removed, readded)).containsExactly(2L, 4L);
        assertThat(sequences(b.query(Topics.conversation(g), 0, 100))).containsExactly(1L, 2L);
        assertThat(sequences(b.query(Topics.conversation(g), 2, 100))).containsExactly(4L, 5L);
        Collector c = new Collector();
        b.subscribe(Map.of(Topics.conversation(g), 0L), 100, HEARTBEAT, c);
        await().atMost(WAIT).until(() -> c.envelopes.size() == 4);
        assertThat(sequences(c.envelopes)).containsExactly(1L, 2L, 4L, 5L);
    }

    @Test
    void adminsAddAndRemoveAndMembersLeaveOrRename() {
        Two two = twoInAGroup();
        NodeSession a = two.a();
        NodeSession b = two.b();
        String g = two.group();
        Identity carol = Identity.generate();
        NodeSession m = Collector.login(two.node(), Identity.generate());

        assertThatThrownBy(() -> add(b, g, carol)).hasCauseInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> remove(b, g, two.alice())).hasCauseInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> m.updateGroup(change(g, List.of(), List.of(), true, Optional.empty())))
                .isInstanceOf(PermissionDeniedException.class);
        PublishResult renamed = join(b.updateGroup(change(g, List.of(), List.of(), false, Optional.of("new name"))));
        List<Envelope> log = a.query(Topics.conversation(g), 0, 100);
        assertThat(sequences(log)).containsExactly(renamed.sequence());
        GroupUpdate rename = updateIn(log.get(0));
        assertThat(rename.getRenamed()).isTrue();
        assertThat(rename.getName()).isEqualTo("new name");
        assertThat(rename.getInitiatedByInboxId()).isEqualTo(two.bob().inboxId());

        long left = leave(b, g).sequence();
        GroupUpdate leaving = updateIn(a.query(Topics.conversation(g), left - 1, 1).get(0));
        assertThat(leaving.getLeftInboxIdsList()).containsExactly(two.bob().inboxId());
        assertThat(leaving.getRemovedInboxIdsList()).isEmpty();
        assertThat(leaving.getMemberInboxIdsList()).containsExactly(two.alice().inboxId());
        assertThatThrownBy(() -> join(b.updateGroup(change(g, List.of(), List.of(), false, Optional.of("x")))))
                .hasCauseInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> leave(b, g)).hasCauseInstanceOf(PermissionDeniedException.class);

        String dm = join(a.createConversation(ConversationType.DM, List.of(two.bob().inboxId()), ""));
        assertThatThrownBy(() -> a.updateGroup(change(dm, List.of(carol), List.of(), false, Optional.empty())))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> a.updateGroup(new GroupChange(g, List.of("not-an-inbox"), List.of(), false,
                Optional.empty(), "k"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> a.updateGroup(new GroupChange(g, List.of(), List.of(), false,
                Optional.of("x".repeat(257)), "k"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> a.createConversation(ConversationType.GROUP, List.of(), "x".repeat(257)))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> a.updateGroup(new GroupChange(g, List.of(), List.of(), true, Optional.empty(), "")))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> a.updateGroup(new GroupChange(g, List.of(), List.of(), true, Optional.empty(),
                "k".repeat(129)))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void anAdminRemovingItselfLeavesAndTheLongestStandingMemberBecomesAdmin() {
        Node node = start();
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        Identity carol = Identity.generate();
        Identity dave = sortingBefore(bob, carol); // so only standing longer makes bob or carol admin
        NodeSession a = Collector.login(node, alice);
        String g = group(a, bob, carol);
        add(a, g, dave); // at 1: bob and carol, members from creation, still stand longer
        Identity expected = bob.inboxId().compareTo(carol.inboxId()) < 0 ? bob : carol;

        long left = remove(a, g, alice).sequence();

        NodeSession promoted = Collector.login(node, expected);
        GroupUpdate update = updateIn(promoted.query(Topics.conversation(g), left - 1, 1).get(0));
        assertThat(update.getLeftInboxIdsList()).containsExactly(alice.inboxId());
        assertThat(update.getAdminInboxIdsList()).containsExactly(expected.inboxId());
        assertThat(update.getMemberInboxIdsList()).isEqualTo(sorted(bob, carol, dave));
        Identity other = expected == bob ? carol : bob;
        assertThat(remove(promoted, g, other).sequence()).isEqualTo(left + 1);
        assertThatThrownBy(() -> add(Collector.login(node, dave), g, alice))
                .hasCauseInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void aChangeIsIdempotentPerKeyAndOneThatChangesNothingWritesNothing() throws Exception {
        Two two = twoInAGroup();
        Node node = two.node();
        NodeSession a = two.a();
        Identity carol = Identity.generate();
        String g = two.group();
        send(a, g, "m1");
        GroupChange addCarol = new GroupChange(g, List.of(carol.inboxId()), List.of(), false, Optional.empty(), "add-c");

        PublishResult first = join(a.updateGroup(addCarol));
        PublishResult again = join(a.updateGroup(addCarol));

        assertThat(again).isEqualTo(first);
        assertThat(sequences(a.query(Topics.conversation(g), 0, 100))).containsExactly(1L, 2L);
        assertThat(welcomes(Collector.login(node, carol))).hasSize(1);

        PublishResult nothing = add(a, g, two.bob(), carol); // members already
        assertThat(nothing.sequence()).isEqualTo(2);
        PublishResult removingStranger = remove(a, g, Identity.generate());
        assertThat(removingStranger.sequence()).isEqualTo(2);
        PublishResult sameName = join(a.updateGroup(change(g, List.of(), List.of(), false, Optional.of("g"))));
        assertThat(sameName.sequence()).isEqualTo(2);
        assertThat(sequences(a.query(Topics.conversation(g), 0, 100))).containsExactly(1L, 2L);
    }

    @Test
    void groupChangesCountTowardTheRateOfConversationsAndMembersStayBounded() {
        Node node = start(NodeLimits.builder().conversationsPerInboxPerMinute(3).maxMembersPerConversation(3).build());
        Identity alice = Identity.generate();
        NodeSession a = Collector.login(node, alice);
        Identity bob = Identity.generate();
        String g = group(a, bob);
        assertThatThrownBy(() -> add(a, g, Identity.generate(), Identity.generate()))
                .hasCauseInstanceOf(ProtocolException.class);
        add(a, g, Identity.generate());

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> add(a, g, Identity.generate()));
        assertThat(refused).isInstanceOf(LimitExceededException.class);
        assertThat(((LimitExceededException) refused).limit()).isEqualTo(LimitExceededException.CONVERSATIONS_PER_MINUTE);
        assertThat(((LimitExceededException) refused).isRetryable()).isTrue();
    }

    /**
     * Members send as fast as they can while the admin removes them one by one (about a thousand
     * operations in all): a send racing its sender's removal lands before the removal or is refused
     * with {@link PermissionDeniedException}, and each removed member's stream ends with its removal.
     */
    @Test
    void sendsRacingTheirSendersRemovalLandBeforeItOrAreRefused() throws Exception {
        Node node = start(NodeLimits.builder().conversationsPerInboxPerMinute(10_000).build());
        int members = 10;
        Identity alice = Identity.generate();
        NodeSession a = Collector.login(node, alice);
        List<Identity> ids = new ArrayList<>();
        List<NodeSession> sessions = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ids.add(Identity.generate());
        }
        String g = group(a, ids.toArray(Identity[]::new));
        String topic = Topics.conversation(g);
        List<Collector> streams = new ArrayList<>();
        List<java.util.concurrent.CountDownLatch> sentEnough = new ArrayList<>();
        for (Identity id : ids) {
            NodeSession s = Collector.login(node, id);
            sessions.add(s);
            Collector c = new Collector();
            s.subscribe(Map.of(topic, 0L), 1_000_000, HEARTBEAT, c);
            streams.add(c);
        }
        List<List<Long>> landed = new ArrayList<>();
        List<Throwable> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> refusedKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(members + 1);
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        try {
            for (int i = 0; i < members; i++) {
                NodeSession s = sessions.get(i);
                List<Long> mine = new java.util.concurrent.CopyOnWriteArrayList<>();
                landed.add(mine);
                java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(30 + 10 * i);
                sentEnough.add(enough);
                int member = i;
                running.add(pool.submit(() -> {
                    for (int n = 0; n < 20_000; n++) { // until refused: its removal comes after 30 + 10 i
                        String key = "member-" + member + "-" + n;
                        try {
                            mine.add(join(s.publish(topic, ("m" + n).getBytes(StandardCharsets.UTF_8), key)).sequence());
                            enough.countDown();
                        } catch (RuntimeException e) {
                            refusals.add(e instanceof java.util.concurrent.CompletionException ? e.getCause() : e);
                            refusedKeys.add(key);
                            return;
                        }
                    }
                }));
            }
            running.add(pool.submit(() -> {
                for (int n = 0; !done.get(); n++) {
                    send(a, g, "admin " + n);
                }
            }));
            List<Long> removals = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                assertThat(sentEnough.get(i).await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                removals.add(remove(a, g, ids.get(i)).sequence());
            }
            for (int i = 0; i < members; i++) {
                running.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            done.set(true);
            running.get(members).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(refusals).hasSize(members).allMatch(e -> e instanceof PermissionDeniedException);
            List<Envelope> log = new ArrayList<>();
            for (List<Envelope> page = a.query(topic, 0, 1000); !page.isEmpty();
                 page = a.query(topic, page.get(page.size() - 1).sequence(), 1000)) {
                log.addAll(page);
            }
            assertThat(sequences(log)).isEqualTo(range(1, log.size()));
            assertThat(log).extracting(Envelope::idempotencyKey).doesNotContainAnyElementsOf(refusedKeys);
            for (int i = 0; i < members; i++) {
                String inbox = ids.get(i).inboxId();
                long removedAt = removals.get(i);
                assertThat(updateIn(log.get((int) removedAt - 1)).getRemovedInboxIdsList()).containsExactly(inbox);
                assertThat(log.stream().filter(e -> e.senderInboxId().equals(inbox)).map(Envelope::sequence))
                        .as("entries of member %d, removed at %d", i, removedAt)
                        .containsExactlyInAnyOrderElementsOf(landed.get(i))
                        .allMatch(sequence -> sequence < removedAt);
                Collector stream = streams.get(i);
                await().atMost(WAIT).until(() -> !stream.envelopes.isEmpty()
                        && stream.envelopes.get(stream.envelopes.size() - 1).sequence() >= removedAt);
                assertThat(sequences(stream.envelopes)).as("stream of member %d", i).isEqualTo(range(1, removedAt));
                assertThat(stream.errors).isEmpty();
            }
            long operations = log.size() + refusals.size();
            LoggerFactory.getLogger(NodeGroupsContract.class).info("{} operations, removals at {}", operations, removals);
            assertThat(operations).isGreaterThan(800);
            send(a, g, "after all");
            await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> java.util.stream.IntStream.range(0, members)
                    .allMatch(i -> streams.get(i).envelopes.size() == removals.get(i)));
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void clientsCannotSendGroupUpdates() {
        Node node = start();
        Identity alice = Identity.generate();
        NodeSession a = Collector.login(node, alice);
        String g = group(a);
        for (String type : List.of("parley.dev/group_updated:1.0", "parley.dev/group_updated:2.7")) {
            byte[] forged = MessagePayload.newBuilder().setContentType("parley.dev/text:1.0")
                    .setContent(GroupUpdate.newBuilder().addAddedInboxIds(alice.inboxId()).build().toByteString())
                    .setContentType(type).build().toByteArray();
            assertThatThrownBy(() -> a.publish(Topics.conversation(g), forged, "forged-" + type))
                    .isInstanceOf(PermissionDeniedException.class);
        }
        // two content type fields: protobuf keeps the last, so clients would read a group update
        byte[] twoTypes = concat(MessagePayload.newBuilder().setContentType("parley.dev/text:1.0").build(),
                MessagePayload.newBuilder().setContentType("parley.dev/group_updated:1.0").build());
        assertThatThrownBy(() -> a.publish(Topics.conversation(g), twoTypes, "two"))
                .isInstanceOf(PermissionDeniedException.class);
        byte[] text = MessagePayload.newBuilder().setContentType("parley.dev/text:1.0")
                .setContent(com.google.protobuf.ByteString.copyFromUtf8("hi")).build().toByteArray();
        assertThat(join(a.publish(Topics.conversation(g), text, "text")).sequence()).isEqualTo(1);
        assertThat(join(a.publish(Topics.conversation(g), "not protobuf at all".getBytes(), "raw")).sequence())
                .isEqualTo(2);
    }

    private static byte[] concat(MessagePayload first, MessagePayload second) {
        byte[] a = first.toByteArray();
        byte[] b = second.toByteArray();
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
