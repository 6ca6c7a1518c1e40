package dev.parley.node;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.TransportException;
import dev.parley.internal.Topics;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A publish the store cannot keep fails alone, retryably and clearly; the session and the node go on. */
@ExtendWith(FaultyStoreProvider.Reset.class)
@Timeout(30)
class NodeStoreFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Node node = Node.builder().name("faulty-node").store("faulty:").build().start();

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aStorageFailureIsARetryableErrorAndTheSessionStaysOpen() {
        NodeSession session = Collector.login(node, Identity.generate());
        String topic = Topics.conversation(session.createConversation(ConversationType.GROUP, List.of(), "").join());
        FaultyStoreProvider.FAILING.set(true);

        assertThat(session.publish(topic, new byte[] {1}, "k1")).failsWithin(WAIT).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e).hasMessageContaining("node storage unavailable").hasMessageNotContaining("/secret");
                });

        assertThat(session.isOpen()).isTrue();
        FaultyStoreProvider.FAILING.set(false);
        assertThat(session.publish(topic, new byte[] {1}, "k1")).succeedsWithin(WAIT)
                .satisfies(r -> assertThat(r.sequence()).isEqualTo(1));
    }
}
