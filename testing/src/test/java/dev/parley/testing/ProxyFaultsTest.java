package dev.parley.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.parley.testing.Link.numbered;
import static dev.parley.testing.Link.readToEnd;
import static dev.parley.testing.Link.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Each fault of {@link Faults#throughProxy} really happens on real loopback sockets. */
@Timeout(60)
class ProxyFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String VICTIM = "any-inbox";

    private LoopbackServer server;
    private Faults faults;
    private final List<Link> links = new ArrayList<>();
    private final ExecutorService readers = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackServer();
        faults = Faults.throughProxy(server.uri());
    }

    @AfterEach
    void stop() throws Exception {
        for (Link link : links) {
            link.close();
        }
        faults.close();
        server.close();
        readers.shutdownNow();
        assertThat(readers.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("readers stopped").isTrue();
        assertThat(proxyThreads()).as("proxy threads left behind").isEmpty();
    }

    /** A connection through the proxy that is fully set up. */
    private Link connect() throws Exception {
        return connectDuringAStall().established();
    }

    /** A connection through the proxy; during a stall not a byte passes, so nothing tells when it is set up. */
    private Link connectDuringAStall() throws Exception {
        Link link = Link.connect(faults, server, WAIT);
        links.add(link);
        return link;
    }

    /** Reads exactly {@code length} bytes on a reader thread. */
    private CompletableFuture<byte[]> readAsync(Socket socket, int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return socket.getInputStream().readNBytes(length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, readers);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("parley-testing-proxy")).toList();
    }

    @Test
    void withoutAFaultBytesAndEndsOfStreamPassBothWays() throws Exception {
        Link link = connect();
        write(link.client(), text("ping"));
        assertThat(link.server().getInputStream().readNBytes(4)).isEqualTo(text("ping"));
        write(link.server(), text("pong"));
        assertThat(link.client().getInputStream().readNBytes(4)).isEqualTo(text("pong"));
        link.client().shutdownOutput();
        assertThat(readToEnd(link.server()).reset()).as("server saw a reset instead of the client's FIN").isFalse();
        write(link.server(), text("bye")); // the other way is still open
        link.server().shutdownOutput();
        assertThat(readToEnd(link.client()).bytes()).isEqualTo(text("bye"));
        assertThat(faults.endpoint().getScheme()).isEqualTo("tcp");
        assertThat(faults.endpoint().getPort()).isNotEqualTo(server.uri().getPort());
    }

    @Test
    void aResetIsSeenAsAResetAtBothEnds() throws Exception {
        Link link = connect();
        faults.inject(Fault.RESET, VICTIM);
        assertThat(readToEnd(link.client()).reset()).as("client saw a reset").isTrue();
        assertThat(readToEnd(link.server()).reset()).as("server saw a reset").isTrue();
    }

    @Test
    void aCutDeliversTheFirstPartOfTheNextChunkFromTheServerThenResets() throws Exception {
        Link link = connect();
        faults.inject(Fault.CUT_MID_FRAME, VICTIM);
        byte[] frame = numbered(1_000);
        write(link.server(), frame);
        Link.Ending ending = readToEnd(link.client());
        assertThat(ending.reset()).as("ended with a reset").isTrue();
        assertThat(ending.bytes().length).as("bytes of the frame that arrived").isBetween(1, frame.length - 1);
        assertThat(ending.bytes()).isEqualTo(Arrays.copyOf(frame, ending.bytes().length));
    }

    @Test
    void aStallDeliversNothingEitherWayUntilResume() throws Exception {
        Link link = connect();
        faults.inject(Fault.STALL, VICTIM);
        Link late = connectDuringAStall(); // silent too
        write(link.server(), text("to the client"));
        write(link.client(), text("to the server"));
        write(late.server(), text("late"));
        CompletableFuture<byte[]> toClient = readAsync(link.client(), 13);
        CompletableFuture<byte[]> toServer = readAsync(link.server(), 13);
        CompletableFuture<byte[]> toLate = readAsync(late.client(), 4);
        // neither data nor an end of stream or a reset: the futures stay pending
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> !toClient.isDone() && !toServer.isDone() && !toLate.isDone());
        faults.resume();
        assertThat(toClient.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(text("to the client"));
        assertThat(toServer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(text("to the server"));
        assertThat(toLate.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(text("late"));
    }

    @Test
    void aBlackholeSilencesTheOpenConnectionsForGoodWhileNewOnesWork() throws Exception {
        Link link = connect();
        faults.inject(Fault.BLACKHOLE, VICTIM);
        Link fresh = connect(); // passes its first byte: new connections work
        write(link.server(), text("to the client"));
        write(link.client(), text("to the server"));
        CompletableFuture<byte[]> toClient = readAsync(link.client(), 13);
        CompletableFuture<byte[]> toServer = readAsync(link.server(), 13);
        faults.resume(); // does not revive a blackholed connection
        write(fresh.server(), text("fresh"));
        assertThat(fresh.client().getInputStream().readNBytes(5)).isEqualTo(text("fresh"));
        // neither data nor an end of stream or a reset on the silenced one
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !toClient.isDone() && !toServer.isDone());
    }

    @Test
    void notReadingFromTheServerStillPassesWhatTheClientSends() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(server.uri());
             Socket client = new Socket(proxy.uri("tcp").getHost(), proxy.uri("tcp").getPort());
             Socket accepted = server.nextAccepted(WAIT)) {
            Link link = new Link(client, accepted).established();
            proxy.stopReadingFromNode();
            write(link.server(), text("to the client"));
            CompletableFuture<byte[]> toClient = readAsync(link.client(), 13);
            write(link.client(), text("to the server"));
            assertThat(link.server().getInputStream().readNBytes(13)).isEqualTo(text("to the server"));
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !toClient.isDone());
        }
    }

    @Test
    void aSlowLinkStillDeliversEveryByteInOrderBothWays() throws Exception {
        Link link = connect();
        faults.inject(Fault.SLOW, VICTIM);
        byte[] data = numbered(64 * 1024);
        CompletableFuture<byte[]> toClient = readAsync(link.client(), data.length);
        CompletableFuture<byte[]> toServer = readAsync(link.server(), data.length);
        for (int offset = 0; offset < data.length; offset += 1024) {
            write(link.server(), Arrays.copyOfRange(data, offset, offset + 1024));
            write(link.client(), Arrays.copyOfRange(data, offset, offset + 1024));
        }
        assertThat(toClient.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(data);
        assertThat(toServer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(data);
        faults.resume();
        write(link.server(), text("after"));
        assertThat(link.client().getInputStream().readNBytes(5)).isEqualTo(text("after"));
    }

    @Test
    void aFaultItCannotInjectIsRefusedByName() {
        assertThat(faults.supported()).containsExactly(Fault.RESET, Fault.CUT_MID_FRAME, Fault.STALL, Fault.SLOW,
                Fault.BLACKHOLE);
        assertThat(faults.supports(Fault.NODE_DROP)).isFalse();
        assertThatThrownBy(() -> faults.inject(Fault.NODE_DROP, VICTIM))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("node-drop");
    }

    @Test
    void closeResetsItsConnectionsAndStopsItsThreads() throws Exception {
        Link link = connect();
        faults.close();
        assertThat(readToEnd(link.client()).reset()).as("client saw a reset").isTrue();
        assertThat(proxyThreads()).isEmpty();
    }
}
