package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code StreamOptions.durable(name)}: a stream of the same name goes on where the last one's consumer stopped. */
@Timeout(60)
class DurableStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final TestNode net = new TestNode();

    @TempDir
    Path dir;

    private final Identity bobId = Identity.generate();
    private Client alice;
    private Group group;

    @BeforeEach
    void conversation() {
        alice = net.client();
        group = alice.conversations().newGroup(List.of(bobId.inboxId()));
    }

    private Client bob() {
        return net.client(bobId, options -> options.dbPath(dir.resolve("bob.db")));
    }

    private static MessageStream<DecodedMessage> durable(Client client, Queue<String> into) {
        return client.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                .durable("inbox-view")
                .onValue(m -> into.add((String) m.content()))
                .build());
    }

    private void send(Group to, int from, int to2) {
        IntStream.rangeClosed(from, to2).forEach(i -> to.send("m" + i));
    }

    private static List<String> texts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    @RepeatedTest(3)
    void aNewProcessWithTheSameNameGetsEverythingSinceInOrderThenLive() {
        Client bob = bob();
        Queue<String> first = new ConcurrentLinkedQueue<>();
        durable(bob, first);
        await().atMost(WAIT).until(() -> bob.conversations().list().size() == 1);
        send(group, 1, 50);
        await().atMost(WAIT).until(() -> first.size() == 50);
        bob.close(); // like a process that shuts down: its streams end

        send(group, 51, 120);
        Group meanwhile = alice.conversations().newGroup(List.of(bobId.inboxId()));
        meanwhile.send("new conversation");

        Client again = bob();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        durable(again, second);
        await().atMost(WAIT).until(() -> second.size() >= 71);
        send(group, 121, 130); // then live
        await().atMost(WAIT).until(() -> second.size() >= 81);

        assertThat(first).containsExactlyElementsOf(texts(1, 50));
        assertThat(second).filteredOn(t -> t.startsWith("m")).containsExactlyElementsOf(texts(51, 130));
        assertThat(second).filteredOn("new conversation"::equals).hasSize(1);
    }

    @RepeatedTest(3)
    void exactlyOnceAcrossEnd() {
        Client bob = bob();
        Queue<String> received = new ConcurrentLinkedQueue<>();
        MessageStream<DecodedMessage> first = durable(bob, received);
        await().atMost(WAIT).until(() -> bob.conversations().list().size() == 1);
        send(group, 1, 30);
        await().atMost(WAIT).until(() -> received.size() == 30);
        first.end();
        await().atMost(WAIT).until(first::isDone);

        send(group, 31, 40);
        try (MessageStream<DecodedMessage> second = durable(bob, received)) {
            await().atMost(WAIT).until(() -> received.size() >= 40);
            send(group, 41, 45);
            await().atMost(WAIT).until(() -> received.size() >= 45);
        }

        assertThat(received).containsExactlyElementsOf(texts(1, 45));
    }

    @Test
    void aPullConsumerResumesAfterTheLastValueItTook() throws InterruptedException {
        Client bob = bob();
        bob.conversations().sync();
        StreamOptions<DecodedMessage> pull = StreamOptions.<DecodedMessage>builder().durable("reader").build();
        try (MessageStream<DecodedMessage> first = bob.conversations().streamAllMessages(pull)) {
            await().atMost(WAIT).until(() -> first.state() == StreamState.LIVE);
            send(group, 1, 10);
            for (int i = 1; i <= 10; i++) {
                assertThat(first.poll(WAIT).map(m -> (String) m.content())).contains("m" + i);
            }
        }
        send(group, 11, 12);
        try (MessageStream<DecodedMessage> second = bob.conversations().streamAllMessages(pull)) {
            assertThat(second.poll(WAIT).map(m -> (String) m.content())).contains("m11");
            assertThat(second.poll(WAIT).map(m -> (String) m.content())).contains("m12");
        }
    }

    @Test
    void aFirstDurableStreamStartsLikeAnyOtherFromNow() {
        Client bob = bob();
        bob.conversations().sync();
        send(group, 1, 5);
        Queue<String> received = new ConcurrentLinkedQueue<>();
        durable(bob, received);
        group.send("live");

        await().atMost(WAIT).until(() -> received.contains("live"));
        assertThat(received).containsExactly("live");
    }

    @Test
    void everyKindOfStreamCanBeDurable() {
        Client bob = bob();
        bob.conversations().sync();
        Queue<String> received = new ConcurrentLinkedQueue<>();
        StreamOptions<DecodedMessage> options = StreamOptions.<DecodedMessage>builder().durable("one")
                .onValue(m -> received.add((String) m.content())).build();
        bob.conversations().getConversationById(group.id()).orElseThrow().stream(options).close();
        send(group, 1, 3);
        try (MessageStream<DecodedMessage> again = bob.conversations().getConversationById(group.id()).orElseThrow()
                .stream(options)) {
            await().atMost(WAIT).until(() -> received.size() >= 3);
        }
        assertThat(received).containsExactlyElementsOf(texts(1, 3));
        assertThat(bob.conversations().stream(StreamOptions.<dev.parley.Conversation>builder().durable("convs").build()))
                .isNotNull();
    }

    @Test
    void durableWithoutADatabaseIsRefusedAtCreation() {
        Client memoryOnly = net.client(bobId);
        StreamOptions<DecodedMessage> options = StreamOptions.<DecodedMessage>builder().durable("x").build();

        assertThatThrownBy(() -> memoryOnly.conversations().streamAllMessages(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("durable stream 'x' needs a database")
                .hasMessageContaining("dbPath");
    }
}
