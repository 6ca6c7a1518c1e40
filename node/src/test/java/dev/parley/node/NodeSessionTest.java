package dev.parley.node;

import dev.parley.Authenticator;
import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class NodeSessionTest {
    private Node node;

    @BeforeEach
    void start() {
        node = Node.builder().name("node-test").build().start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private NodeSession login(Identity identity) {
        return Collector.login(node, identity);
    }

    @Test
    void publishIsIdempotentPerKeyAndSequencesStartAtOne() {
        Identity alice = Identity.generate();
        NodeSession s = login(alice);
        String conv = s.createConversation(ConversationType.GROUP, List.of(), "").join();
        String topic = Topics.conversation(conv);
        assertThat(s.publish(topic, "a".getBytes(), "k1").join().sequence()).isEqualTo(1);
        assertThat(s.publish(topic, "b".getBytes(), "k2").join().sequence()).isEqualTo(2);
        assertThat(s.publish(topic, "a-again".getBytes(), "k1").join().sequence()).isEqualTo(1);
        List<Envelope> all = s.query(topic, 0, 100);
        assertThat(all).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(all).allMatch(e -> e.senderInboxId().equals(alice.inboxId()));
        assertThat(s.query(topic, 1, 100)).extracting(Envelope::sequence).containsExactly(2L);
    }

    @Test
    void subscriptionReplaysAfterCursorThenGoesLiveAndNeverExceedsDemand() {
        NodeSession s = login(Identity.generate());
        String topic = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
        for (int i = 1; i <= 5; i++) {
            s.publish(topic, ("m" + i).getBytes(), "k" + i).join();
        }
        Collector c = new Collector();
        Subscription sub = s.subscribe(Map.of(topic, 2L), 10, Duration.ofSeconds(10), c);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.envelopes.size() == 3);
        for (int i = 6; i <= 20; i++) {
            s.publish(topic, ("m" + i).getBytes(), "k" + i).join();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> c.envelopes.size() == 10);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> c.envelopes.size() == 10);
        sub.request(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.envelopes.size() == 18);
        assertThat(c.envelopes).extracting(Envelope::sequence)
                .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        sub.cancel();
    }

    @Test
    void topicsAreAddedAndRemovedLive() {
        NodeSession s = login(Identity.generate());
        String a = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
        String b = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
        s.publish(b, "old-b".getBytes(), "ob").join();
        Collector c = new Collector();
        Subscription sub = s.subscribe(Map.of(a, 0L), 100, Duration.ofSeconds(10), c);
        assertThat(sub.addTopics(Map.of(b, Topics.LATEST)).join()).containsEntry(b, 1L);
        s.publish(b, "new-b".getBytes(), "nb").join();
        s.publish(a, "a1".getBytes(), "a1").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.envelopes.size() == 2);
        sub.removeTopics(List.of(b));
        s.publish(b, "gone".getBytes(), "g").join();
        s.publish(a, "a2".getBytes(), "a2").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> c.envelopes.size() == 3);
        assertThat(c.texts()).containsExactlyInAnyOrder("new-b", "a1", "a2");
        assertThatThrownBy(() -> sub.addTopics(Map.of(Topics.welcome(Identity.generate().inboxId()), 0L)).join())
                .hasCauseInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void heartbeatsArriveWithoutDemand() {
        NodeSession s = login(Identity.generate());
        Collector c = new Collector();
        s.subscribe(Map.of(), 0, Duration.ofMillis(20), c);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.heartbeats.get() >= 3);
    }

    @Test
    void droppingConnectionsFailsSubscriptionsWithARetryableError() {
        Identity alice = Identity.generate();
        NodeSession s = login(alice);
        NodeSession other = login(Identity.generate());
        Collector c = new Collector();
        s.subscribe(Map.of(Topics.welcome(alice.inboxId()), 0L), 10, Duration.ofSeconds(10), c);
        node.dropConnections(alice.inboxId());
        await().atMost(Duration.ofSeconds(5)).until(() -> c.errors.size() == 1);
        assertThat(c.errors.get(0)).isInstanceOf(TransportException.class)
                .matches(e -> ((TransportException) e).isRetryable());
        assertThat(s.isOpen()).isFalse();
        assertThat(other.isOpen()).isTrue();
        assertThatThrownBy(() -> s.query(Topics.welcome(alice.inboxId()), 0, 1)).isInstanceOf(TransportException.class);
    }

    @Test
    void rejectsBadInputWithTypedErrors() {
        NodeSession anonymous = node.openSession("test");
        assertThatThrownBy(() -> anonymous.query("welcome/x", 0, 1)).isInstanceOf(dev.parley.AuthenticationException.class);
        NodeSession s = login(Identity.generate());
        assertThatThrownBy(() -> s.query("nonsense", 0, 1)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> s.createConversation(ConversationType.DM, List.of("not-an-inbox"), ""))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> s.createConversation(ConversationType.DM, List.of(), ""))
                .isInstanceOf(ProtocolException.class);
        String topic = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
        assertThatThrownBy(() -> s.publish(topic, new byte[(1 << 20) + 1], "big")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> s.publish(topic, new byte[1], "")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> s.query(topic, 0, 0)).isInstanceOf(ProtocolException.class);
        // the node is still fine
        assertThat(s.publish(topic, new byte[1], "ok").join().sequence()).isEqualTo(1);
    }

    @Test
    void aDemandThatIsNotPositiveEndsTheSubscriptionWithProtocolException() {
        NodeSession s = login(Identity.generate());
        String topic = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
        Collector c = new Collector();
        Subscription sub = s.subscribe(Map.of(topic, 0L), 0, Duration.ofSeconds(10), c);
        sub.request(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !c.errors.isEmpty());
        assertThat(c.errors).singleElement().isInstanceOf(ProtocolException.class);
        sub.request(10); // over: nothing more is delivered
        s.publish(topic, "m".getBytes(), "k").join();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> c.envelopes.isEmpty());
    }

    @Test
    void aHeartbeatIntervalOutOfRangeIsRefusedAndLeavesNoSession() {
        NodeSession s = login(Identity.generate());
        String topic = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
        for (Duration bad : List.of(Duration.ofMillis(Long.MAX_VALUE), Duration.ofMinutes(11), Duration.ofMillis(-1))) {
            assertThatThrownBy(() -> s.subscribe(Map.of(topic, 0L), 10, bad, new Collector()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("heartbeat");
        }
        s.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> node.connectionCount() == 0);
    }

    @Test
    void aSessionAuthenticatesOnce() {
        Identity alice = Identity.generate();
        Identity mallory = Identity.generate();
        NodeSession s = login(alice);
        assertThatThrownBy(s::challenge).isInstanceOf(ProtocolException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> s.authenticate(mallory.publicKey(), mallory.sign(Authenticator.challengeMessage("any", new byte[0], new byte[32]))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("already");
        assertThat(s.inboxId()).isEqualTo(alice.inboxId());
    }

    @Test
    void envelopesOfSeveralTopicsTravelInOneBatchInOrderPerTopicAndWithinTheDemand() {
        NodeSession s = login(Identity.generate());
        List<String> topics = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
            String topic = Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
            topics.add(topic);
            for (int i = 1; i <= 3; i++) {
                s.publish(topic, (t + "-" + i).getBytes(), t + "k" + i).join();
            }
        }
        List<List<Envelope>> batches = new CopyOnWriteArrayList<>();
        SubscriptionListener listener = new SubscriptionListener() {
            @Override
            public void onEnvelope(Envelope envelope) {
                batches.add(List.of(envelope));
            }

            @Override
            public void onEnvelopes(List<Envelope> envelopes) {
                batches.add(List.copyOf(envelopes));
            }

            @Override
            public void onError(Throwable error) {
            }
        };
        Map<String, Long> cursors = new java.util.LinkedHashMap<>();
        topics.forEach(t -> cursors.put(t, 0L));
        Subscription sub = s.subscribe(cursors, 7, Duration.ofSeconds(10), listener);

        await().atMost(Duration.ofSeconds(5)).until(() -> batches.stream().mapToInt(List::size).sum() == 7);
        assertThat(batches).as("one batch across the topics, as far as the demand goes").hasSize(1);
        sub.request(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.stream().mapToInt(List::size).sum() == 9);
        List<Envelope> all = batches.stream().flatMap(List::stream).toList();
        for (String topic : topics) {
            assertThat(all).filteredOn(e -> e.topic().equals(topic)).extracting(Envelope::sequence)
                    .containsExactly(1L, 2L, 3L);
        }
        sub.cancel();
    }
}
