package dev.parley.testing;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link Faults#byNodeDrops} cuts the victim's in-process connections, and only the victim's. */
@Timeout(60)
class NodeDropFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NODES = new AtomicInteger();

    private Node node;
    private Faults faults;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() {
        node = Node.builder().name("node-drop-faults-" + NODES.incrementAndGet()).build().start();
        faults = Faults.byNodeDrops(node, "inproc");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        faults.close();
        node.close();
    }

    /** A client on the faults' endpoint with a stream of all messages that records what happens to it. */
    private final class Watched {
        final Client client = Client.create(ClientOptions.builder().endpoint(faults.endpoint().toString())
                .identity(Identity.generate()).build());
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicInteger restarts = new AtomicInteger();
        final MessageStream<DecodedMessage> stream;

        Watched() {
            closeables.add(client);
            stream = client.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                    .retryDelay(Duration.ofMillis(10))
                    .onValue(m -> received.add((String) m.content()))
                    .onError(errors::add)
                    .onRestart(restarts::incrementAndGet)
                    .build());
            closeables.add(stream);
            await().atMost(WAIT).until(() -> stream.state() == StreamState.LIVE);
        }
    }

    @Test
    void supportsNodeDropsOnlyAndRefusesTheRestByName() {
        assertThat(faults.supported()).containsExactly(Fault.NODE_DROP);
        assertThat(faults.endpoint()).isEqualTo(node.endpoint("inproc"));
        for (Fault other : EnumSet.complementOf(EnumSet.of(Fault.NODE_DROP))) {
            assertThatThrownBy(() -> faults.inject(other, "any-inbox"))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(other.toString());
        }
    }

    @Test
    void aNodeDropCutsTheVictimsConnectionsAndNoOneElses() {
        Watched alice = new Watched();
        Watched bob = new Watched();
        faults.inject(Fault.NODE_DROP, bob.client.inboxId());
        await().atMost(WAIT).until(() -> bob.restarts.get() == 1);
        assertThat(bob.errors).singleElement().isInstanceOfSatisfying(TransportException.class,
                e -> assertThat(e.isRetryable()).isTrue());
        faults.resume(); // nothing to resume, and harmless
        alice.client.conversations().newGroup(List.of(bob.client.inboxId())).send("after the drop");
        // had alice been cut too, her error would come before the message she can only get after reconnecting
        await().atMost(WAIT).until(() -> alice.received.contains("after the drop") && bob.received.contains("after the drop"));
        assertThat(alice.errors).isEmpty();
        assertThat(alice.restarts).hasValue(0);
    }
}
