package dev.parley.node;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.node.store.Retention;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The node applies its retention periodically; readers from before it get what is still kept. */
@Timeout(60)
class NodeRetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;

    @Test
    void trimsPeriodicallyAndReadsFromZeroGetWhatIsKept() {
        try (Node node = Node.builder().name("retention").dataDir(dir)
                .retention(Retention.KEEP_ALL.withMaxPerTopic(3)).retentionInterval(Duration.ofMillis(50))
                .build().start()) {
            NodeSession session = Collector.login(node, Identity.generate());
            String topic = Topics.conversation(session.createConversation(ConversationType.GROUP, List.of(), "").join());
            for (int i = 1; i <= 10; i++) {
                session.publish(topic, ("m" + i).getBytes(), "k" + i).join();
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(session.query(topic, 0, 100))
                    .extracting(Envelope::sequence).containsExactly(8L, 9L, 10L));

            Collector collector = new Collector();
            Subscription subscription = session.subscribe(Map.of(topic, 0L), 100, Duration.ofSeconds(30), collector);
            await().atMost(WAIT).untilAsserted(() -> assertThat(collector.texts()).containsExactly("m8", "m9", "m10"));
            session.publish(topic, "m11".getBytes(), "k11").join();
            await().atMost(WAIT).untilAsserted(() -> assertThat(collector.envelopes).extracting(Envelope::sequence)
                    .containsExactly(8L, 9L, 10L, 11L));
            subscription.cancel();
        }
    }

    @Test
    void refusesANonPositiveInterval() {
        assertThatThrownBy(() -> Node.builder().retentionInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention interval");
    }
}
