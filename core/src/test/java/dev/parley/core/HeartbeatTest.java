package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection that goes silent is dropped and recovered without loss, end to end over a real node.
 * When it is noticed (two intervals) is checked on a fake clock in
 * {@code dev.parley.core.stream.HeartbeatDetectionTest}.
 */
@Timeout(60)
class HeartbeatTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    @RegisterExtension
    final TestNode net = new TestNode();

    @AfterEach
    void unstall() {
        StallingTransportProvider.STALLED.set(false);
    }

    @Test
    void aSilentConnectionIsDetectedWithinTwoIntervalsAndRecoveredWithoutLoss() {
        Client alice = net.client();
        Client bob = Client.create(ClientOptions.builder()
                .endpoint("stall://" + net.node().name())
                .identity(Identity.generate())
                .heartbeatInterval(HEARTBEAT)
                .build());
        try {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
            try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options()
                    .retryDelay(Duration.ofMillis(10))
                    .onError(e -> {
                        errors.add(e);
                        rec.events.add("error");
                        StallingTransportProvider.STALLED.set(false); // the "proxy" recovers
                    }).build())) {
                group.send("before");
                rec.awaitValues(1);
                StallingTransportProvider.STALLED.set(true);
                group.send("during"); // swallowed by the stalled connection
                rec.awaitEvent("error");
                rec.awaitValues(2);
                group.send("after");
                rec.awaitValues(3);
                assertThat(errors.get(0)).isInstanceOf(TransportException.class)
                        .hasMessageContaining("no heartbeat");
                assertThat(rec.values).extracting(m -> (String) m.content())
                        .containsExactly("before", "during", "after");
                // a loaded machine may starve the heartbeats once more later; what matters is the first recovery
                assertThat(rec.lifecycle()).startsWith("error", "retry:1/10", "restart");
            }
        } finally {
            bob.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> net.node().connectionCount() == 1);
    }
}
