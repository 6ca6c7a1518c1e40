package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.HistoryLost;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose log is replaced by an empty one (a new epoch under the same address): long-lived
 * clients report the lost history and then receive what is new, instead of dropping the new
 * history's first sequences as duplicates of the old one's.
 */
@Timeout(60)
class NodeResetTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name = "reset-" + COUNTER.incrementAndGet();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Node node;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        node.close();
    }

    @Test
    void aStreamReportsTheLostHistoryAndReceivesTheNewOne() {
        node = startNode();
        String firstEpoch = node.epoch();
        Client alice = client();
        Client bob = client();
        List<HistoryLost> lost = new CopyOnWriteArrayList<>();
        Recorder<DecodedMessage> received = new Recorder<>(m -> (String) m.content());
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(received.options()
                .retryDelay(Duration.ofMillis(50))
                .onHistoryLost(lost::add)
                .build());
        open.add(stream);
        Group before = alice.conversations().newGroup(List.of(bob.inboxId()));
        before.send("one");
        before.send("two");
        received.awaitValues(2);

        node.close();
        node = startNode(); // same address, empty log: sequences start again at 1
        assertThat(node.epoch()).isNotEqualTo(firstEpoch);

        Group after = alice.conversations().newGroup(List.of(bob.inboxId()));
        after.send("three");
        after.send("four");

        received.awaitValues(4);
        assertThat(received.values).extracting(DecodedMessage::content).containsExactly("one", "two", "three", "four");
        await().atMost(Duration.ofSeconds(10)).until(() -> lost.stream()
                .anyMatch(l -> l.conversationId().equals(before.id())));
        assertThat(lost).allMatch(l -> l.reason() == HistoryLost.Reason.NODE_RESET);
        assertThat(lost).filteredOn(l -> l.conversationId().equals(before.id()))
                .containsExactly(new HistoryLost(before.id(), 3, Long.MAX_VALUE, HistoryLost.Reason.NODE_RESET));
        // the store follows the node: the old history's conversations are gone, the new one is whole
        bob.conversations().sync();
        assertThat(bob.conversations().list()).extracting(Conversation::id).containsExactly(after.id());
        assertThat(after.messages()).extracting(DecodedMessage::content).containsExactly("three", "four");
    }

    @Test
    void syncAfterAResetFetchesTheNewHistoryFromItsStart() {
        node = startNode();
        Client alice = client();
        Client bob = client();
        alice.conversations().newGroup(List.of(bob.inboxId())).send("old");
        bob.conversations().sync();
        assertThat(bob.conversations().list()).hasSize(1);

        node.close();
        node = startNode();
        Group fresh = alice.conversations().newGroup(List.of(bob.inboxId()));
        fresh.send("new");

        bob.conversations().sync();
        List<Conversation> conversations = bob.conversations().list();
        assertThat(conversations).extracting(Conversation::id).containsExactly(fresh.id());
        assertThat(conversations.get(0).messages()).extracting(DecodedMessage::content).containsExactly("new");
    }

    private Node startNode() {
        return Node.builder().name(name).build().start();
    }

    private Client client() {
        Client client = Client.create(ClientOptions.builder()
                .endpoint("inproc://" + name)
                .identity(Identity.generate())
                .heartbeatInterval(Duration.ofMillis(500))
                .build());
        open.add(client);
        return client;
    }
}
