package dev.parley.core;

import dev.parley.Client;
import dev.parley.Conversation;
import dev.parley.ConversationType;
import dev.parley.Dm;
import dev.parley.Group;
import dev.parley.MessageStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ConversationStreamTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void seesGroupsAndDmsCreatedByOthersAndBySelf() {
        Client alice = net.client();
        Client bob = net.client();
        Recorder<Conversation> seen = new Recorder<>(Conversation::id);
        try (MessageStream<Conversation> stream = bob.conversations().stream(seen.options().build())) {
            Group byAlice = alice.conversations().newGroup(List.of(bob.inboxId()), "team");
            Dm byBob = bob.conversations().newDm(alice.inboxId());
            seen.awaitValues(2);
            assertThat(seen.values).extracting(Conversation::id).containsExactly(byAlice.id(), byBob.id());
            Conversation first = seen.values.get(0);
            assertThat(first).isInstanceOf(Group.class);
            assertThat(((Group) first).name()).isEqualTo("team");
            assertThat(first.memberInboxIds()).containsExactlyInAnyOrder(alice.inboxId(), bob.inboxId());
            assertThat(((Dm) seen.values.get(1)).peerInboxId()).isEqualTo(alice.inboxId());
        }
    }

    @Test
    void filtersByConversationType() {
        Client alice = net.client();
        Client bob = net.client();
        Recorder<Conversation> groups = new Recorder<>(Conversation::id);
        Recorder<Conversation> dms = new Recorder<>(Conversation::id);
        try (MessageStream<Conversation> g = bob.conversations().stream(groups.options()
                     .conversationType(ConversationType.GROUP).build());
             MessageStream<Conversation> d = bob.conversations().stream(dms.options()
                     .conversationType(ConversationType.DM).build())) {
            Dm dm = alice.conversations().newDm(bob.inboxId());
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            Dm dm2 = bob.conversations().newDm(alice.inboxId());
            groups.awaitValues(1);
            dms.awaitValues(2);
            // a marker created last proves nothing else is still on its way to the group stream
            Group marker = alice.conversations().newGroup(List.of(bob.inboxId()));
            groups.awaitValues(2);
            assertThat(groups.values).extracting(Conversation::id).containsExactly(group.id(), marker.id());
            assertThat(dms.values).extracting(Conversation::id).containsExactly(dm.id(), dm2.id());
            assertThat(dms.values).allMatch(c -> c.type() == ConversationType.DM);
        }
    }

    @Test
    void listAndGetByIdAfterSync() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        assertThat(bob.conversations().getConversationById(group.id())).isEmpty();
        bob.conversations().sync();
        assertThat(bob.conversations().getConversationById(group.id())).isPresent();
        assertThat(bob.conversations().list()).extracting(Conversation::id).containsExactly(group.id());
    }
}
