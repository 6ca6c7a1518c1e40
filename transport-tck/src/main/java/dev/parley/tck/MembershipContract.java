package dev.parley.tck;

import dev.parley.Client;
import dev.parley.ConversationType;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.GroupUpdated;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.PermissionDeniedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.internal.Topics;
import dev.parley.spi.EpochCheck;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.Subscription;
import dev.parley.spi.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Group membership that changes while streams run, through the transport under test: rules 8 of
 * {@code RULES.md}. Members added to a running group see it from their addition on, members removed
 * receive their removal and nothing after, and the streams of everyone follow without an error.
 */
@Timeout(300)
public abstract class MembershipContract extends TransportSuite {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Client> clients = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();
    private final List<MessageStream<?>> streams = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        streams.forEach(MessageStream::end);
        clients.forEach(Client::close);
        transports.forEach(Transport::close);
    }

    private Client client() {
        Client client = Client.create(clientOptions(node.endpoint(scheme()), Identity.generate()).build());
        clients.add(client);
        return client;
    }

    private Transport transport(Identity who) {
        Transport transport = openTransport(node.endpoint(scheme()), who, EpochCheck.ANY, Duration.ofMillis(500),
                trustStore());
        transports.add(transport);
        return transport;
    }

    /** Every value of a push-mode stream, and whatever else it reported. */
    private static final class Received {
        final List<DecodedMessage> values = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        StreamOptions<DecodedMessage> options() {
            return StreamOptions.<DecodedMessage>builder()
                    .onValue(values::add)
                    .onError(e -> events.add("error: " + e))
                    .onRetry((attempt, max) -> events.add("retry"))
                    .onFail(() -> events.add("fail"))
                    .onEnd(() -> events.add("end"))
                    .build();
        }

        List<DecodedMessage> of(String conversationId) {
            return values.stream().filter(m -> m.conversationId().equals(conversationId)).toList();
        }
    }

    private Received streamAll(Client client) {
        Received received = new Received();
        streams.add(client.conversations().streamAllMessages(received.options()));
        return received;
    }

    private static Group groupOf(Client client, String id) {
        client.conversations().sync();
        return (Group) client.conversations().getConversationById(id).orElseThrow();
    }

    private static boolean removes(DecodedMessage message, String inboxId) {
        return message.content() instanceof GroupUpdated update
                && (update.removedInboxIds().contains(inboxId) || update.leftInboxIds().contains(inboxId));
    }

    private static List<String> ids(List<DecodedMessage> messages) {
        return messages.stream().map(DecodedMessage::id).toList();
    }

    @Test
    @DisplayName("8.01 a member added during a live streamAllMessages gets the group and every message from its addition on, exactly once, none from before")
    void required_rule8_01_anAddedMemberReceivesEverythingFromItsAdditionOnAndNothingBefore() {
        Client alice = client();
        Client bob = client();
        Client carol = client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()), "tck");
        Group bobs = groupOf(bob, group.id());
        for (int i = 0; i < 5; i++) {
            group.send("before-" + i);
        }
        List<Conversation> welcomed = new CopyOnWriteArrayList<>();
        streams.add(carol.conversations().stream(StreamOptions.<Conversation>builder().onValue(welcomed::add).build()));
        Received received = streamAll(carol);

        group.addMembers(List.of(carol.inboxId()));
        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? group : bobs).send("after-" + i);
        }

        await().atMost(WAIT).until(() -> received.values.size() >= 21);
        assertThat(received.values.get(0).content()).isInstanceOfSatisfying(GroupUpdated.class, update -> {
            assertThat(update.addedInboxIds()).containsExactly(carol.inboxId());
            assertThat(update.initiatedByInboxId()).isEqualTo(alice.inboxId());
        });
        assertThat(received.values.subList(1, received.values.size())).extracting(DecodedMessage::content)
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "after-" + i).toList());
        assertThat(welcomed).extracting(Conversation::id).containsExactly(group.id());
        assertThat(received.events).isEmpty();
        Group carols = groupOf(carol, group.id());
        assertThat(ids(carols.messages())).isEqualTo(ids(received.values));
        assertThat(carols.memberInboxIds()).containsExactlyInAnyOrder(alice.inboxId(), bob.inboxId(), carol.inboxId());
    }

    @Test
    @DisplayName("8.02 a member removed during a replay with demand outstanding gets the removal and nothing after; its subscription goes on for other topics")
    void required_rule8_02_aMemberRemovedMidReplayGetsItsRemovalLastAndTheSubscriptionGoesOn() {
        Identity aliceId = Identity.generate();
        Identity bobId = Identity.generate();
        Transport alice = transport(aliceId);
        Transport bob = transport(bobId);
        String id = join(alice.createConversation(ConversationType.GROUP, List.of(bobId.inboxId()), "tck"));
        String topic = Topics.conversation(id);
        String other = Topics.conversation(join(alice.createConversation(ConversationType.GROUP,
                List.of(bobId.inboxId()), "other")));
        int before = 300;
        for (int i = 1; i <= before; i++) {
            join(alice.publish(topic, bytes("m" + i), "m" + i));
        }
        TckListener listener = new TckListener();
        Subscription subscription = join(bob.subscribe(Map.of(topic, 0L, other, 0L), 10, listener));
        await().atMost(WAIT).until(() -> listener.envelopes.size() >= 10); // the replay is under way, demand spent

        long removal = join(alice.updateGroup(new GroupChange(id, List.of(), List.of(bobId.inboxId()), false,
                Optional.empty(), "remove-bob"))).sequence();
        join(alice.publish(topic, bytes("after"), "after"));
        subscription.request(10_000);
        await().atMost(WAIT).until(() -> sequencesOf(listener, topic).contains(removal));
        join(alice.publish(other, bytes("other"), "other"));
        await().atMost(WAIT).until(() -> !sequencesOf(listener, other).isEmpty());

        assertThat(removal).isEqualTo(before + 1);
        assertThat(sequencesOf(listener, topic)).as("everything up to the removal, once, nothing after")
                .isEqualTo(LongStream.rangeClosed(1, removal).boxed().toList());
        assertThat(listener.errors).isEmpty();
        assertThat(listener.closed.get()).isZero();
        assertThat(failureOf(bob.publish(topic, bytes("x"), "x"))).isInstanceOf(PermissionDeniedException.class);
        List<Envelope> page = join(bob.query(topic, 0, 1000));
        assertThat(page.get(page.size() - 1).sequence()).as("a query stops at the removal too").isEqualTo(removal);
        assertThat(join(bob.query(topic, removal, 1000))).isEmpty();
    }

    private static List<Long> sequencesOf(TckListener listener, String topic) {
        return listener.envelopes.stream().filter(e -> e.topic().equals(topic)).map(Envelope::sequence).toList();
    }

    @Test
    @DisplayName("8.03 sends and removals racing from several threads: each removed member's last message is its removal, nothing reaches it after")
    void required_rule8_03_sendsRacingRemovalsNeverReachARemovedMember() throws Exception {
        int victims = 8;
        int steadySends = 300;
        int victimSends = 12;
        Client alice = client();
        List<Client> steady = List.of(client(), client());
        List<Client> removed = IntStream.range(0, victims).mapToObj(i -> client()).toList();
        List<String> invited = new ArrayList<>();
        steady.forEach(c -> invited.add(c.inboxId()));
        removed.forEach(c -> invited.add(c.inboxId()));
        Group group = alice.conversations().newGroup(invited, "race");
        Map<String, Received> streamsByInbox = new ConcurrentHashMap<>();
        for (Client member : concat(steady, removed)) {
            streamsByInbox.put(member.inboxId(), streamAll(member));
        }
        List<Group> senders = new ArrayList<>(List.of(group));
        steady.forEach(c -> senders.add(groupOf(c, group.id())));
        List<Group> victimGroups = removed.stream().map(c -> groupOf(c, group.id())).toList();

        AtomicInteger sent = new AtomicInteger();
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(senders.size() + 2);
        try {
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (Group sender : senders) {
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < steadySends; i++) {
                        sender.send("steady-" + i);
                        sent.incrementAndGet();
                    }
                }, pool));
            }
            work.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < victimSends; round++) {
                    for (Group victim : victimGroups) {
                        try {
                            victim.send("victim-" + round);
                            sent.incrementAndGet();
                        } catch (PermissionDeniedException e) {
                            refusals.add(e);
                        }
                    }
                }
            }, pool));
            work.add(CompletableFuture.runAsync(() -> {
                for (Client victim : removed) {
                    group.removeMembers(List.of(victim.inboxId()));
                }
            }, pool));
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        int entries = sent.get() + victims;
        Received witness = streamsByInbox.get(steady.get(0).inboxId());
        await().atMost(WAIT).until(() -> witness.of(group.id()).size() >= entries);
        List<String> log = ids(witness.of(group.id()));
        assertThat(log).as("one entry per accepted send and per removal, once each").hasSize(entries).doesNotHaveDuplicates();
        assertThat(ids(streamsByInbox.get(steady.get(1).inboxId()).of(group.id()))).isEqualTo(log);
        for (Client victim : removed) {
            Received got = streamsByInbox.get(victim.inboxId());
            await().atMost(WAIT).until(() -> !got.of(group.id()).isEmpty()
                    && removes(got.of(group.id()).get(got.of(group.id()).size() - 1), victim.inboxId()));
            List<DecodedMessage> mine = got.of(group.id());
            int removal = log.indexOf(mine.get(mine.size() - 1).id());
            assertThat(ids(mine)).as("a removed member gets the log up to its removal, exactly, in order")
                    .isEqualTo(log.subList(0, removal + 1));
            assertThat(got.events).isEmpty();
        }
        assertThat(refusals).allMatch(e -> e instanceof PermissionDeniedException);
        for (Received received : streamsByInbox.values()) {
            assertThat(received.events).isEmpty();
        }
        assertThat(witness.values).noneMatch(m -> m.conversationId().equals(group.id())
                && m.content() instanceof String text && text.startsWith("victim-")
                && log.indexOf(m.id()) > indexOfRemovalOf(witness.of(group.id()), m.senderInboxId()));
    }

    private static int indexOfRemovalOf(List<DecodedMessage> log, String inboxId) {
        for (int i = 0; i < log.size(); i++) {
            if (removes(log.get(i), inboxId)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static List<Client> concat(List<Client> a, List<Client> b) {
        List<Client> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    @DisplayName("8.04 a rename and a leave show up in order on every member's stream; the one who left gets its leave last")
    void required_rule8_04_renameAndLeaveStreamInOrderToEveryMember() {
        Client alice = client();
        Client bob = client();
        Client carol = client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId(), carol.inboxId()), "old");
        List<Received> received = List.of(streamAll(alice), streamAll(bob), streamAll(carol));
        Received carolsGroup = new Received();
        MessageStream<DecodedMessage> carolStream = groupOf(carol, group.id()).stream(carolsGroup.options());
        streams.add(carolStream);

        group.send("one");
        groupOf(bob, group.id()).updateName("new");
        groupOf(carol, group.id()).leave();
        group.send("two");

        await().atMost(WAIT).until(() -> received.get(0).values.size() >= 4 && received.get(1).values.size() >= 4
                && received.get(2).values.size() >= 3);
        List<String> expected = List.of("one", "renamed:new", "left", "two");
        assertThat(received.get(0).values).extracting(MembershipContract::describe).isEqualTo(expected);
        assertThat(received.get(1).values).extracting(MembershipContract::describe).isEqualTo(expected);
        assertThat(received.get(2).values).extracting(MembershipContract::describe).isEqualTo(expected.subList(0, 3));
        await().atMost(WAIT).until(() -> carolsGroup.events.contains("end"));
        assertThat(carolsGroup.values).extracting(MembershipContract::describe).isEqualTo(expected.subList(0, 3));
        assertThat(carolStream.state()).isEqualTo(StreamState.ENDED);
        received.forEach(r -> assertThat(r.events).isEmpty());
        assertThat(group.name()).isEqualTo("new");
        assertThatThrownBy(() -> groupOf(carol, group.id()).send("gone")).isInstanceOf(PermissionDeniedException.class);
    }

    private static String describe(DecodedMessage message) {
        if (message.content() instanceof GroupUpdated update) {
            return update.renamedTo().map(name -> "renamed:" + name)
                    .orElse(update.leftInboxIds().isEmpty() ? "updated" : "left");
        }
        return String.valueOf(message.content());
    }
}
