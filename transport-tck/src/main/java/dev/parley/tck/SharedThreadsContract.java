package dev.parley.tck;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.internal.util.SharedThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients of one JVM share their threads: many clients, each with its own connection and a live
 * push stream, run on the JVM's shared, bounded pools (stream work, blocking work, one timer, the
 * transport's shared I/O threads), so the threads do not grow with the number of clients; once all
 * are closed, the shared threads end. Not a numbered rule: it is how Parley's transports are built
 * (issue 14), not what the wire requires.
 */
@Timeout(300)
public abstract class SharedThreadsContract extends TransportSuite {
    private static final int CLIENTS = 200;
    private static final int DATABASE_CLIENTS = 100;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Client> clients = new ArrayList<>();

    /**
     * Threads the clients may add at most, whatever their number: the shared pools for stream work,
     * blocking work and database writes ({@link SharedThreads#SIZE} each), the timer, the transport's
     * shared I/O threads ({@link SharedThreads#SIZE}), and a few the JDK or a library starts once per JVM.
     */
    protected int threadBound() {
        return 4 * SharedThreads.SIZE + 1 + 16;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(Client::close);
    }

    @Test
    void manyClientsShareBoundedThreadsThatEndWithTheLastClient() throws InterruptedException {
        shareBoundedThreads(CLIENTS, i -> clientOptions(node.endpoint(scheme()), Identity.generate()));
    }

    /** Each client with its own SQLite file: the files' writes share a pool too, no thread per file. */
    @Test
    void manyClientsWithDatabasesShareBoundedThreads(@TempDir Path dir) throws InterruptedException {
        shareBoundedThreads(DATABASE_CLIENTS, i -> clientOptions(node.endpoint(scheme()), Identity.generate())
                .dbPath(dir.resolve("client-" + i + ".db3")));
    }

    private void shareBoundedThreads(int count, IntFunction<ClientOptions.Builder> options) throws InterruptedException {
        Set<Thread> before = liveThreads();
        CountDownLatch delivered = new CountDownLatch(count);
        StreamOptions<DecodedMessage> streamOptions = StreamOptions.<DecodedMessage>builder()
                .onValue(m -> delivered.countDown()).build();
        List<MessageStream<DecodedMessage>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Client client = Client.create(options.apply(i).build());
            clients.add(client);
            streams.add(client.conversations().streamAllMessages(streamOptions));
        }
        Group group = clients.get(0).conversations().newGroup(clients.stream().skip(1).map(Client::inboxId).toList());
        group.send("to everyone");
        assertThat(delivered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every stream delivered").isTrue();

        assertThat(startedSince(before)).as("threads added by " + count + " live clients")
                .hasSizeLessThanOrEqualTo(threadBound());

        streams.forEach(MessageStream::end);
        clients.forEach(Client::close);
        clients.clear();
        await().atMost(Duration.ofSeconds(20)).until(SharedThreadsContract::sharedThreads, List::isEmpty);
        await().atMost(Duration.ofSeconds(20)).until(() -> startedSince(before).stream().map(Thread::getName)
                .filter(name -> name.startsWith("parley-")).toList(), List::isEmpty);
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** Live threads started since {@code before}, but the node's. */
    private static List<Thread> startedSince(Set<Thread> before) {
        return liveThreads().stream().filter(t -> !before.contains(t))
                .filter(t -> !t.getName().startsWith("parley-node-")).toList();
    }

    private static List<String> sharedThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("parley-shared-"))
                .map(t -> t.getName() + " " + t.getState() + " " + List.of(t.getStackTrace()).subList(0, Math.min(6, t.getStackTrace().length)))
                .toList();
    }
}
