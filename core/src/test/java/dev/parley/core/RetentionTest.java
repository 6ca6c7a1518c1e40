package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.HistoryLost;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.node.Node;
import dev.parley.node.store.Retention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream that fell behind the node's retention: it says which range is gone, with the right
 * bounds, before going on with everything the node still has.
 */
@Timeout(60)
class RetentionTest {
    private static final int KEPT = 3;
    private static final int SENT = 10;
    private static final int BUFFER = 4;

    private final Node node = Node.builder().name("retention-" + System.nanoTime())
            .retention(Retention.KEEP_ALL.withMaxPerTopic(KEPT))
            .retentionInterval(Duration.ofMillis(50))
            .build().start();
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(Client::close);
        node.close();
    }

    @Test
    void aStreamBehindRetentionReportsTheGapThenDeliversWhatIsKept() throws Exception {
        Client alice = client(Identity.generate());
        Identity bobIdentity = Identity.generate();
        Client bob = client(bobIdentity);
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        List<HistoryLost> lost = new CopyOnWriteArrayList<>();
        // pull mode with a small buffer: the node sends no more than bob has room for, so bob falls behind
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().bufferSize(BUFFER).onHistoryLost(lost::add).build())) {
            for (int i = 1; i <= SENT; i++) {
                group.send("m" + i);
            }
            awaitTrimmed(bobIdentity, group.id());

            List<Object> read = new ArrayList<>();
            while (!read.contains("m" + SENT)) {
                read.add(stream.poll(Duration.ofSeconds(10))
                        .orElseThrow(() -> new AssertionError("nothing more after " + read + ", lost " + lost))
                        .content());
            }

            // the node pushed the first `delivered` messages (at most a buffer's worth) before the trim
            // removed the rest of what bob had not received: usually all of the buffer, fewer when the
            // retention ran before the node's delivery did; every message is delivered or said lost
            int delivered = read.size() - KEPT;
            assertThat(delivered).isBetween(0, BUFFER);
            assertThat(read).containsExactlyElementsOf(expected(delivered));
            assertThat(lost).containsExactly(
                    new HistoryLost(group.id(), delivered + 1, SENT - KEPT, HistoryLost.Reason.RETENTION));
        }
    }

    /** m1 .. m{delivered}, then the kept messages. */
    private static List<Object> expected(int delivered) {
        List<Object> expected = new ArrayList<>();
        for (int i = 1; i <= SENT; i++) {
            if (i <= delivered || i > SENT - KEPT) {
                expected.add("m" + i);
            }
        }
        return expected;
    }

    /** Waits until another installation of bob's inbox, syncing from scratch, finds only what is kept. */
    private void awaitTrimmed(Identity bob, String conversationId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Client fresh = Client.create(options(bob))) {
                fresh.conversations().sync();
                return fresh.conversations().list().stream()
                        .filter(c -> c.id().equals(conversationId))
                        .allMatch(c -> c.messages().size() == KEPT);
            }
        });
    }

    private Client client(Identity identity) {
        Client client = Client.create(options(identity));
        clients.add(client);
        return client;
    }

    private ClientOptions options(Identity identity) {
        return ClientOptions.builder().endpoint(node.endpoint("inproc").toString()).identity(identity).build();
    }
}
