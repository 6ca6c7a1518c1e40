package dev.parley.node;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.spi.node.NodeHealth;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node serves once started, until it closes, and while its store answers. */
@ExtendWith(FaultyStoreProvider.Reset.class)
@Timeout(30)
class NodeHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void servesFromStartUntilClose() {
        node = Node.builder().name("health-node").build();
        assertThat(node.health()).isEqualTo(NodeHealth.notServing("starting"));

        node.start();
        assertThat(node.health()).isEqualTo(NodeHealth.SERVING);

        node.close();
        assertThat(node.health()).isEqualTo(NodeHealth.notServing("closing"));
    }

    @Test
    void aStoreThatDoesNotAnswerItsProbeIsNotServingAndTheReasonHidesItsDetails() {
        node = Node.builder().name("health-faulty").store("faulty:").build().start();
        FaultyStoreProvider.FAILING.set(true);

        await().atMost(WAIT).until(() -> !node.health().serving());
        assertThat(node.health().detail()).isEqualTo("store does not answer").doesNotContain("/secret");

        FaultyStoreProvider.FAILING.set(false);
        await().atMost(WAIT).until(() -> node.health().serving());
        assertThat(node.health()).isEqualTo(NodeHealth.SERVING);
    }

    @Test
    void aWriteTheStoreFailedKeepsTheNodeFromServingForAWhileThoughTheProbeAnswers() {
        node = Node.builder().name("health-write").store("faulty:").build().start();
        NodeSession session = Collector.login(node, Identity.generate());
        String topic = Topics.conversation(session.createConversation(ConversationType.GROUP, List.of(), "").join());
        FaultyStoreProvider.FAILING.set(true);
        assertThat(session.publish(topic, new byte[] {1}, "k1")).failsWithin(WAIT);
        FaultyStoreProvider.FAILING.set(false);

        NodeHealth health = node.health();
        assertThat(health.serving()).isFalse();
        assertThat(health.detail()).isEqualTo("store failed a request within the last 5 s");
    }

    @Test
    void aSqliteStoreAnswersItsProbe(@TempDir Path dir) {
        node = Node.builder().name("health-sqlite").dataDir(dir).build().start();

        assertThat(node.health()).isEqualTo(NodeHealth.SERVING);
    }
}
