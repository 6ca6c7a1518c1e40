package dev.parley.core;

import dev.parley.Client;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.Dm;
import dev.parley.Group;
import dev.parley.MessageStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class StartPointTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    /** bob is in alice's group, which holds two messages from before any stream. */
    private record History(Client bob, Group group, Recorder<DecodedMessage> rec) {
    }

    private History history() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        group.send("old-1");
        group.send("old-2");
        return new History(bob, group, new Recorder<>(m -> (String) m.content()));
    }

    @Test
    void withSyncOnlyWhatArrivesAfterStartIsStreamedAndHistoryIsStored() {
        History h = history();
        Client bob = h.bob();
        Group group = h.group();
        Recorder<DecodedMessage> rec = h.rec();
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options().build())) {
            group.send("new");
            rec.awaitValues(1);
            assertThat(rec.values).extracting(m -> (String) m.content()).containsExactly("new");
        }
        assertThat(bob.conversations().getConversationById(group.id()).orElseThrow().messages())
                .extracting(m -> (String) m.content()).containsExactly("old-1", "old-2", "new");
    }

    @Test
    void disableSyncReplaysEverythingAfterTheStoredCursors() {
        History h = history();
        Client bob = h.bob();
        Group group = h.group();
        Recorder<DecodedMessage> rec = h.rec();
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                rec.options().disableSync(true).build())) {
            group.send("new");
            rec.awaitValues(3);
            assertThat(rec.values).extracting(m -> (String) m.content()).containsExactly("old-1", "old-2", "new");
        }
    }

    @Test
    void conversationTypeFiltersStreamAllMessages() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        Dm dm = alice.conversations().newDm(bob.inboxId());
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                rec.options().conversationType(ConversationType.DM).build())) {
            group.send("in-group");
            dm.send("in-dm");
            Dm later = alice.conversations().newDm(bob.inboxId());
            later.send("in-later-dm");
            rec.awaitValues(2);
            assertThat(rec.values).extracting(m -> (String) m.content())
                    .containsExactlyInAnyOrder("in-dm", "in-later-dm");
        }
    }
}
