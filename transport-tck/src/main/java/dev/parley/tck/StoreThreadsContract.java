package dev.parley.tck;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.core.DefaultClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients with a database ({@code dbPath}) never make the transport's I/O threads, which all clients of
 * the JVM share, wait for their files: what may wait for the disk runs on the caller's thread, the shared
 * pools for stream work and blocking work, or the database writers' pool. A client whose database is held
 * up therefore stalls no other client. Not a numbered rule: it is how Parley's client is built (issue 14).
 */
@Timeout(120)
public abstract class StoreThreadsContract extends TransportSuite {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SENT = 200;

    private final List<Client> clients = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeClients() {
        clients.forEach(Client::close);
    }

    private Client client(String name, WatchedStore[] watched, boolean held) {
        ClientOptions options = clientOptions(node.endpoint(scheme()), Identity.generate())
                .dbPath(dir.resolve(name + ".db3")).build();
        Client client = DefaultClientFactory.create(options, (o, codecs) ->
                watched[0] = new WatchedStore(DefaultClientFactory.openStore(o, codecs), held));
        clients.add(client);
        return client;
    }

    @Test
    void durableStoresAreWrittenOffTheTransportsThreads() throws Exception {
        WatchedStore[] sender = new WatchedStore[1];
        WatchedStore[] receiver = new WatchedStore[1];
        Client alice = client("alice", sender, false);
        Client bob = client("bob", receiver, false);
        CountDownLatch received = new CountDownLatch(SENT + 1);
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().onValue(m -> received.countDown()).build());
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));

        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < SENT; i++) {
            sent.add(group.sendAsync("message " + i));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        group.send("and one waited for");
        assertThat(received.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("bob received everything").isTrue();
        assertThat(group.messages()).as("alice stored what she sent").hasSize(SENT + 1);
        stream.end();

        replaceNodeWithAnEmptyOne();
        alice.conversations().newGroup(List.of(bob.inboxId())).send("in the node's new history");
        bob.conversations().sync();
        assertThat(bob.conversations().list()).as("bob follows the new history").hasSize(1);

        assertThat(sender[0].threads()).as("threads that waited for alice's file").isNotEmpty()
                .allSatisfy(StoreThreadsContract::notAnIoThread);
        assertThat(receiver[0].threads()).as("threads that waited for bob's file").isNotEmpty()
                .allSatisfy(StoreThreadsContract::notAnIoThread);
    }

    @Test
    void aClientWhoseDatabaseIsHeldUpStallsNoOtherClient() throws Exception {
        WatchedStore[] stuck = new WatchedStore[1];
        WatchedStore[] unused = new WatchedStore[1];
        Client alice = client("alice", stuck, true);
        Group aliceGroup = alice.conversations().newGroup(List.of());
        CompletableFuture<String> held = aliceGroup.sendAsync("stored once alice's database moves again");

        // clients made after alice's: on shared I/O threads handed out in turn, some share hers
        Client carol = client("carol", unused, false);
        List<Client> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(client("reader-" + i, unused, false));
        }
        CountDownLatch received = new CountDownLatch(readers.size());
        List<MessageStream<DecodedMessage>> streams = new ArrayList<>();
        for (Client reader : readers) {
            streams.add(reader.conversations().streamAllMessages(
                    StreamOptions.<DecodedMessage>builder().onValue(m -> received.countDown()).build()));
        }
        carol.conversations().newGroup(readers.stream().map(Client::inboxId).toList()).send("while alice's file is held");

        assertThat(received.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("every other client's stream went on while alice's database was held up").isTrue();
        assertThat(held).as("alice's send waits for her database").isNotDone();
        stuck[0].release();
        assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotEmpty();
        assertThat(aliceGroup.messages()).extracting(DecodedMessage::content)
                .containsExactly("stored once alice's database moves again");
        streams.forEach(MessageStream::end);
    }

    /** The shared I/O threads of Parley's transports, and the node's threads (which complete in-process requests). */
    private static void notAnIoThread(String thread) {
        assertThat(thread).doesNotStartWith("parley-shared-grpc").doesNotStartWith("parley-shared-ws")
                .doesNotStartWith("parley-node").doesNotContain("EventLoop").doesNotContain("grpc-");
    }
}
