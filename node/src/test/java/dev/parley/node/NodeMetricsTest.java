package dev.parley.node;

import dev.parley.AuthenticationException;
import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.LimitExceededException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.internal.Topics;
import dev.parley.node.internal.store.ForwardingNodeStore;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Subscription;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The node counts connections, subscriptions, publishes, refusals, and samples its latencies. */
@ExtendWith(FaultyStoreProvider.Reset.class)
@Timeout(30)
class NodeMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void aDurableStoresReSentKeyIsAnsweredWithTheFirstSequenceAndCountedOnce(@TempDir Path dir) {
        node = Node.builder().name("metrics-durable-node").store("sqlite:" + dir.toAbsolutePath())
                .meterRegistry(registry).build().start();
        NodeSession alice = Collector.login(node, Identity.generate());
        String topic = Topics.conversation(alice.createConversation(ConversationType.GROUP, List.of(), "").join());
        for (int i = 1; i <= 3; i++) {
            assertThat(alice.publish(topic, new byte[] {(byte) i}, "k" + i).join().sequence()).isEqualTo(i);
        }
        assertThat(alice.publish(topic, new byte[] {2}, "k2").join().sequence()).isEqualTo(2); // a re-send
        assertThat(counter("parley.node.publishes.duplicate")).isEqualTo(1);
        assertThat(alice.publish(topic, new byte[] {4}, "k4").join().sequence()).isEqualTo(4);
    }

    @Test
    void connectionsSubscriptionsAndPublishesAreCountedExactly() {
        node = Node.builder().name("metrics-node").meterRegistry(registry).build().start();
        assertThat(node.meterRegistry()).isSameAs(registry);
        NodeSession alice = Collector.login(node, Identity.generate());
        NodeSession bob = Collector.login(node, Identity.generate());
        assertThat(gauge("parley.node.connections", "transport", "direct")).isEqualTo(2);
        assertThat(counter("parley.node.authentications", "transport", "direct")).isEqualTo(2);

        String topic = Topics.conversation(alice.createConversation(ConversationType.GROUP, List.of(), "").join());
        for (int i = 1; i <= 5; i++) {
            alice.publish(topic, new byte[] {(byte) i}, "k" + i).join();
        }
        alice.publish(topic, new byte[] {1}, "k1").join(); // a re-send: same key
        assertThat(counter("parley.node.publishes", "transport", "direct")).isEqualTo(6);
        assertThat(counter("parley.node.publishes.duplicate")).isEqualTo(1);
        assertThat(registry.get("parley.node.store.latency").tags("operation", "append").timer().count()).isPositive();

        Collector collector = new Collector();
        Subscription subscription = alice.subscribe(Map.of(topic, 2L), 100, Duration.ofSeconds(10), collector);
        assertThat(gauge("parley.node.subscriptions")).isEqualTo(1);
        assertThat(counter("parley.node.subscriptions.resumed")).isEqualTo(1);
        await().atMost(WAIT).until(() -> collector.envelopes.size() == 3);
        assertThat(registry.get("parley.node.delivery.lag").timer().count()).isPositive();
        assertThat(registry.get("parley.node.store.latency").tags("operation", "read").timer().count()).isPositive();

        subscription.cancel();
        await().atMost(WAIT).until(() -> gauge("parley.node.subscriptions") == 0);
        bob.close();
        assertThat(gauge("parley.node.connections", "transport", "direct")).isEqualTo(1);
        node.dropConnections();
        assertThat(gauge("parley.node.connections", "transport", "direct")).isZero();
    }

    @Test
    void refusedRequestsAreCountedByReason() {
        node = Node.builder().name("metrics-refusals").meterRegistry(registry)
                .limits(NodeLimits.builder().maxSubscriptionsPerSession(1).build()).build().start();
        NodeSession alice = Collector.login(node, Identity.generate());
        NodeSession mallory = Collector.login(node, Identity.generate());
        String topic = Topics.conversation(alice.createConversation(ConversationType.GROUP, List.of(), "").join());

        assertThatThrownBy(() -> mallory.query(topic, 0, 10)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> alice.query(topic, 0, 0)).isInstanceOf(ProtocolException.class);
        alice.subscribe(Map.of(topic, 0L), 1, Duration.ofSeconds(10), new Collector());
        assertThatThrownBy(() -> alice.subscribe(Map.of(topic, 0L), 1, Duration.ofSeconds(10), new Collector()))
                .isInstanceOf(LimitExceededException.class);
        NodeSession stranger = node.openSession("test");
        stranger.challenge();
        assertThatThrownBy(() -> stranger.authenticate(Identity.generate().publicKey(), new byte[64]))
                .isInstanceOf(AuthenticationException.class);

        assertThat(counter("parley.node.refused", "reason", "permission")).isEqualTo(1);
        assertThat(counter("parley.node.refused", "reason", "protocol")).isEqualTo(1);
        assertThat(counter("parley.node.refused", "reason", LimitExceededException.SUBSCRIPTIONS_PER_SESSION)).isEqualTo(1);
        assertThat(counter("parley.node.refused", "reason", "authentication")).isEqualTo(1);
        assertThat(counter("parley.node.refused", "reason", "storage")).isZero();
        assertThat(counter("parley.node.authentications", "transport", "direct")).isEqualTo(2);
    }

    @Test
    void aWriteTheStoreFailsIsCountedAsStorage() {
        node = Node.builder().name("metrics-storage").meterRegistry(registry).store("faulty:").build().start();
        NodeSession alice = Collector.login(node, Identity.generate());
        String topic = Topics.conversation(alice.createConversation(ConversationType.GROUP, List.of(), "").join());
        FaultyStoreProvider.FAILING.set(true);

        assertThat(alice.publish(topic, new byte[] {1}, "k1")).failsWithin(WAIT);

        assertThat(counter("parley.node.refused", "reason", "storage")).isEqualTo(1);
        assertThat(counter("parley.node.publishes", "transport", "direct")).isEqualTo(1);
    }

    @Test
    void withoutARegistryTheNodeKeepsItsOwn() {
        node = Node.builder().name("metrics-own").build().start();
        Collector.login(node, Identity.generate());

        assertThat(node.meterRegistry()).isInstanceOf(SimpleMeterRegistry.class);
        assertThat(node.meterRegistry().get("parley.node.connections").tags("transport", "direct").gauge().value())
                .isEqualTo(1);
    }

    @Test
    void nodesSharingARegistryCountApartByTheirNameTag() {
        node = Node.builder().name("metrics-first").meterRegistry(registry).build().start();
        try (Node second = Node.builder().name("metrics-second").meterRegistry(registry).build().start()) {
            Collector.login(node, Identity.generate());
            Collector.login(second, Identity.generate());
            Collector.login(second, Identity.generate());

            assertThat(gauge("parley.node.connections", "node", "metrics-first", "transport", "direct")).isEqualTo(1);
            assertThat(gauge("parley.node.connections", "node", "metrics-second", "transport", "direct")).isEqualTo(2);
        }
    }

    /** Store decorators (the timing one) must pass every call on: a default method inherited would skip the real store. */
    @Test
    void theForwardingStoreOverridesEveryStoreMethod() {
        List<String> inherited = Arrays.stream(NodeStore.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> declaredBy(ForwardingNodeStore.class, m) == null)
                .map(Method::getName)
                .toList();
        assertThat(inherited).isEmpty();
    }

    private static Method declaredBy(Class<?> type, Method method) {
        try {
            return type.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
