package dev.parley.core;

import dev.parley.Client;
import dev.parley.ConsentState;
import dev.parley.ContentTypeId;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.GroupUpdated;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.PermissionDeniedException;
import dev.parley.StreamState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Group membership through the client: the API, the store, and streams that follow membership live. */
@Timeout(60)
class GroupMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final TestNode net = new TestNode();

    @TempDir
    Path dir;

    private final List<MessageStream<?>> streams = new ArrayList<>();

    @AfterEach
    void endStreams() {
        streams.forEach(MessageStream::end);
    }

    private <T> MessageStream<T> track(MessageStream<T> stream) {
        streams.add(stream);
        return stream;
    }

    private static String label(DecodedMessage m) {
        if (m.content() instanceof GroupUpdated u) {
            return "update" + (u.addedInboxIds().isEmpty() ? "" : ":added" + u.addedInboxIds().size())
                    + (u.removedInboxIds().isEmpty() ? "" : ":removed" + u.removedInboxIds().size())
                    + (u.leftInboxIds().isEmpty() ? "" : ":left" + u.leftInboxIds().size())
                    + u.renamedTo().map(n -> ":renamed:" + n).orElse("");
        }
        return String.valueOf(m.content());
    }

    private static Group groupOf(Client client, String id) {
        client.conversations().sync();
        return (Group) client.conversations().getConversationById(id).orElseThrow();
    }

    @Test
    void anAddedMemberSeesTheGroupAndEveryMessageFromItsAdditionOnButNothingBefore() {
        Client alice = net.client();
        Client bob = net.client();
        Client carol = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()), "team");
        group.send("before");

        Recorder<Conversation> conversations = new Recorder<>(Conversation::id);
        track(carol.conversations().stream(conversations.options().build()));
        Recorder<DecodedMessage> messages = new Recorder<>(GroupMembershipTest::label);
        track(carol.conversations().streamAllMessages(messages.options().build()));

        group.addMembers(List.of(carol.inboxId()));
        group.send("after-1");
        group.send("after-2");

        conversations.awaitValues(1);
        assertThat(conversations.values).extracting(Conversation::id).containsExactly(group.id());
        messages.awaitValues(3);
        assertThat(messages.values).extracting(GroupMembershipTest::label)
                .containsExactly("update:added1", "after-1", "after-2");
        assertThat(messages.lifecycle()).isEmpty();
        assertThat(group.memberInboxIds()).contains(carol.inboxId());

        Group carols = groupOf(carol, group.id());
        assertThat(carols.name()).isEqualTo("team");
        assertThat(carols.adminInboxIds()).containsExactly(alice.inboxId());
        assertThat(carols.consentState()).as("a group one was added to").isEqualTo(ConsentState.UNKNOWN);
        assertThat(carols.messages()).extracting(GroupMembershipTest::label)
                .containsExactly("update:added1", "after-1", "after-2");
        assertThat(carols.isActive()).isTrue();
    }

    @Test
    void aRemovedMemberGetsItsRemovalLastWhileItsStreamStaysLiveForOtherConversations() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        Conversation dm = alice.conversations().newDm(bob.inboxId());

        Recorder<DecodedMessage> all = new Recorder<>(GroupMembershipTest::label);
        MessageStream<DecodedMessage> allStream = track(bob.conversations().streamAllMessages(all.options().build()));
        Recorder<DecodedMessage> one = new Recorder<>(GroupMembershipTest::label);
        MessageStream<DecodedMessage> groupStream = track(groupOf(bob, group.id()).stream(one.options().build()));

        group.send("m1");
        group.removeMembers(List.of(bob.inboxId()));
        group.send("m2");
        dm.send("dm");

        all.awaitValues(3);
        one.awaitEvent("end");
        assertThat(all.values).extracting(GroupMembershipTest::label).containsExactly("m1", "update:removed1", "dm");
        assertThat(all.lifecycle()).as("no error, no retry").isEmpty();
        assertThat(allStream.state()).isEqualTo(StreamState.LIVE);
        assertThat(one.values).extracting(GroupMembershipTest::label).containsExactly("m1", "update:removed1");
        assertThat(one.lifecycle()).containsExactly("end");
        assertThat(groupStream.isDone()).isTrue();

        Group bobs = groupOf(bob, group.id());
        assertThat(bobs.isActive()).isFalse();
        assertThat(bobs.memberInboxIds()).containsExactly(alice.inboxId());
        assertThat(bobs.messages()).extracting(GroupMembershipTest::label).containsExactly("m1", "update:removed1");
        assertThatThrownBy(() -> bobs.send("still here?")).isInstanceOf(PermissionDeniedException.class);

        Recorder<DecodedMessage> later = new Recorder<>(GroupMembershipTest::label);
        track(bobs.stream(later.options().build()));
        later.awaitEvent("end"); // a stream of a group one has left ends at once
        assertThat(later.values).isEmpty();
    }

    @Test
    void renameAndLeaveShowUpInOrderOnEveryMembersStream() {
        Client alice = net.client();
        Client bob = net.client();
        Client carol = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId(), carol.inboxId()));
        List<Recorder<DecodedMessage>> recorders = new ArrayList<>();
        for (Client member : List.of(alice, bob, carol)) {
            Recorder<DecodedMessage> rec = new Recorder<>(GroupMembershipTest::label);
            track(member.conversations().streamAllMessages(rec.options()
                    .consentStates(ConsentState.ALLOWED, ConsentState.UNKNOWN).build()));
            recorders.add(rec);
        }

        groupOf(bob, group.id()).updateName("renamed");
        groupOf(carol, group.id()).leave();
        group.send("done");

        recorders.get(0).awaitValues(3);
        recorders.get(1).awaitValues(3);
        recorders.get(2).awaitValues(2);
        assertThat(recorders.get(0).values).extracting(GroupMembershipTest::label)
                .containsExactly("update:renamed:renamed", "update:left1", "done");
        assertThat(recorders.get(1).values).extracting(GroupMembershipTest::label)
                .containsExactly("update:renamed:renamed", "update:left1", "done");
        assertThat(recorders.get(2).values).extracting(GroupMembershipTest::label)
                .containsExactly("update:renamed:renamed", "update:left1");
        GroupUpdated left = (GroupUpdated) recorders.get(0).values.get(1).content();
        assertThat(left.leftInboxIds()).containsExactly(carol.inboxId());
        assertThat(left.initiatedByInboxId()).isEqualTo(carol.inboxId());
        assertThat(recorders.get(0).values.get(1).senderInboxId()).isEqualTo(carol.inboxId());
        assertThat(group.name()).isEqualTo("renamed");
        assertThat(group.memberInboxIds()).containsExactlyInAnyOrder(alice.inboxId(), bob.inboxId());
        recorders.forEach(r -> assertThat(r.lifecycle()).isEmpty());
    }

    @Test
    void onlyAdminsAddAndRemoveAndNobodySendsAGroupUpdate() {
        Client alice = net.client();
        Client bob = net.client();
        Client carol = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        Group bobs = groupOf(bob, group.id());

        assertThatThrownBy(() -> bobs.addMembers(List.of(carol.inboxId()))).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> bobs.removeMembers(List.of(alice.inboxId())))
                .isInstanceOf(PermissionDeniedException.class);
        GroupUpdated forged = new GroupUpdated(alice.inboxId(), List.of(carol.inboxId()), List.of(), List.of(), null,
                List.of(), List.of());
        assertThatThrownBy(() -> bobs.send(forged, ContentTypeId.GROUP_UPDATED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(groupOf(alice, group.id()).memberInboxIds()).containsExactlyInAnyOrder(alice.inboxId(), bob.inboxId());

        group.addMembers(List.of(bob.inboxId())); // already a member: nothing to send
        assertThat(group.messages()).isEmpty();
    }

    @Test
    void whenTheLastAdminLeavesTheLongestStandingMemberBecomesAdmin() {
        Client alice = net.client();
        Client bob = net.client();
        Client carol = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        group.addMembers(List.of(carol.inboxId()));
        group.leave();

        assertThat(group.isActive()).isFalse();
        Group bobs = groupOf(bob, group.id());
        assertThat(bobs.adminInboxIds()).containsExactly(bob.inboxId());
        bobs.removeMembers(List.of(carol.inboxId()));
        assertThat(bobs.memberInboxIds()).containsExactly(bob.inboxId());
        assertThat(groupOf(carol, group.id()).isActive()).isFalse();
    }

    @Test
    void membershipSurvivesReopeningTheDatabase() {
        Identity bobIdentity = Identity.generate();
        Path db = dir.resolve("bob.db3");
        Client alice = net.client();
        Client carol = net.client();
        Client bob = net.client(bobIdentity, options -> options.dbPath(db));
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()), "before");
        group.addMembers(List.of(carol.inboxId()));
        group.updateName("after");
        group.removeMembers(List.of(bob.inboxId()));
        bob.conversations().sync();
        bob.close();

        Client reopened = net.client(bobIdentity, options -> options.dbPath(db));
        Group bobs = (Group) reopened.conversations().getConversationById(group.id()).orElseThrow();
        assertThat(bobs.name()).isEqualTo("after");
        assertThat(bobs.memberInboxIds()).containsExactlyInAnyOrder(alice.inboxId(), carol.inboxId());
        assertThat(bobs.adminInboxIds()).containsExactly(alice.inboxId());
        assertThat(bobs.isActive()).isFalse();
        assertThat(bobs.messages()).extracting(GroupMembershipTest::label)
                .containsExactly("update:added1", "update:renamed:after", "update:removed1");
    }

    @Test
    void aMemberRemovedAndAddedAgainReadsNothingOfTheTimeItWasAway() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        group.send("one");
        group.removeMembers(List.of(bob.inboxId()));
        group.send("away");
        group.addMembers(List.of(bob.inboxId()));
        group.send("back");

        Group bobs = groupOf(bob, group.id());
        await().atMost(WAIT).until(() -> groupOf(bob, group.id()).messages().size() >= 4);
        assertThat(bobs.messages()).extracting(GroupMembershipTest::label)
                .containsExactly("one", "update:removed1", "update:added1", "back");
        assertThat(bobs.isActive()).isTrue();
    }
}
