package dev.parley.core.stream;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.core.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class PullModeTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void iterationEndsWhenTheStreamEnds() throws Exception {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages();
        List<Object> seen = new ArrayList<>();
        CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
            for (DecodedMessage m : stream) {
                seen.add(m.content());
            }
        });
        group.send("one");
        group.send("two");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        assertThat(consumer).isNotDone();
        stream.end();
        consumer.get(10, TimeUnit.SECONDS);
        assertThat(seen).containsExactly("one", "two");
        assertThat(stream.poll(Duration.ofMillis(10))).isEmpty();
    }

    @Test
    void aConsumerThatDoesNotReadHoldsAtMostBufferSizeThenGetsEverything() throws Exception {
        int bufferSize = 16;
        int total = 500;
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().bufferSize(bufferSize).build())) {
            DefaultMessageStream<DecodedMessage> engine = (DefaultMessageStream<DecodedMessage>) stream;
            for (int i = 0; i < total; i++) {
                group.send(Integer.toString(i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.bufferedForTest() == bufferSize);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> engine.bufferedForTest() <= bufferSize);
            List<Object> got = new ArrayList<>();
            while (got.size() < total) {
                got.add(stream.poll(Duration.ofSeconds(10)).orElseThrow().content());
                assertThat(engine.bufferedForTest()).isLessThanOrEqualTo(bufferSize);
            }
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(got).isEqualTo(expected);
        }
    }
}
