package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose log is replaced by an empty one (a new epoch under the same address): the client's
 * store follows it. Streams over every transport: TCK rule 7.03.
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
