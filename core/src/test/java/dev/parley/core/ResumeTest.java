package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Exactly once and in order per conversation while the subscriber's connection is cut again and again. */
@Timeout(180)
class ResumeTest {
    private static final int CONVERSATIONS = 20;
    private static final int MESSAGES = 10_000;
    private static final int DROPS = 100;

    @RegisterExtension
    final TestNode net = new TestNode().heartbeat(Duration.ofMillis(500));

    @Test
    void everyMessageOnceAndInOrderAcrossHundredDrops() throws Exception {
        Client alice = net.client();
        Client bob = net.client();
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            groups.add(alice.conversations().newGroup(List.of(bob.inboxId())));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            index.put(groups.get(i).id(), i);
        }
        ConcurrentLinkedQueue<DecodedMessage> received = new ConcurrentLinkedQueue<>();
        AtomicInteger count = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                dev.parley.StreamOptions.<DecodedMessage>builder()
                        .retryAttempts(1_000)
                        .retryDelay(Duration.ZERO)
                        .onRestart(restarts::incrementAndGet)
                        .onValue(m -> {
                            received.add(m);
                            count.incrementAndGet();
                        })
                        .build())) {
            Random random = new Random(42);
            List<Integer> dropPoints = new ArrayList<>();
            for (int i = 0; i < DROPS; i++) {
                dropPoints.add(random.nextInt(MESSAGES));
            }
            dropPoints.sort(Integer::compare);
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                int nextDrop = 0;
                for (int n = 0; n < MESSAGES; n++) {
                    int conversation = n % CONVERSATIONS;
                    groups.get(conversation).send(conversation + ":" + (n / CONVERSATIONS));
                    while (nextDrop < dropPoints.size() && dropPoints.get(nextDrop) == n) {
                        // cut a live connection each time: wait until the previous cut has been recovered
                        int recovered = nextDrop;
                        await().atMost(Duration.ofSeconds(30)).until(() -> restarts.get() == recovered);
                        net.node().dropConnections(bob.inboxId());
                        nextDrop++;
                    }
                }
            });
            publisher.get(120, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= MESSAGES);
            // a marker conversation proves nothing else is still on its way
            Group marker = alice.conversations().newGroup(List.of(bob.inboxId()));
            marker.send("done");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    received.stream().anyMatch(m -> m.conversationId().equals(marker.id())));
        }
        List<List<Integer>> perConversation = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            perConversation.add(new ArrayList<>());
        }
        for (DecodedMessage m : received) {
            Integer conversation = index.get(m.conversationId());
            if (conversation != null) {
                String[] parts = ((String) m.content()).split(":");
                assertThat(Integer.parseInt(parts[0])).isEqualTo(conversation);
                perConversation.get(conversation).add(Integer.parseInt(parts[1]));
            }
        }
        int perEach = MESSAGES / CONVERSATIONS;
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perEach; i++) {
            expected.add(i);
        }
        for (int i = 0; i < CONVERSATIONS; i++) {
            assertThat(perConversation.get(i)).as("conversation %d: exactly once, in order", i)
                    .isEqualTo(expected);
        }
        assertThat(received).hasSize(MESSAGES + 1);
        assertThat(restarts.get()).as("one restart per cut").isEqualTo(DROPS);
        System.out.printf("resume: %d messages, %d drops requested, %d restarts%n", MESSAGES, DROPS, restarts.get());
    }
}
