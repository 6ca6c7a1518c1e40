package dev.parley.node;

import dev.parley.ConversationType;
import dev.parley.Identity;
import dev.parley.LimitExceededException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.internal.Topics;
import dev.parley.node.store.Retention;
import dev.parley.spi.Subscription;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The node's per-inbox and per-session limits, straight on the node's sessions (the TCK checks them over every transport). */
@Timeout(60)
class NodeLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private final List<Node> nodes = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    private Node start(Node.Builder builder) {
        Node node = builder.build().start();
        nodes.add(node);
        return node;
    }

    private Node start(NodeLimits limits) {
        return start(Node.builder().name("limits-" + nodes.size()).limits(limits));
    }

    private static String newGroup(NodeSession s) {
        return Topics.conversation(s.createConversation(ConversationType.GROUP, List.of(), "").join());
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static LimitExceededException limitOf(Throwable thrown) {
        assertThat(thrown).as("expected a failure").isNotNull();
        Throwable cause = thrown;
        while (!(cause instanceof LimitExceededException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(LimitExceededException.class);
        return (LimitExceededException) cause;
    }

    @Test
    void anInboxBeyondItsSessionsIsRefusedUntilOneEndsHoweverItEnds() {
        Node node = start(NodeLimits.builder().maxSessionsPerInbox(2).build());
        Identity alice = Identity.generate();
        NodeSession first = Collector.login(node, alice);
        NodeSession second = Collector.login(node, alice);

        LimitExceededException refused = limitOf(catchThrowable(() -> Collector.login(node, alice)));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.SESSIONS_PER_INBOX);
        assertThat(refused.isRetryable()).isFalse();
        Collector.login(node, Identity.generate()); // other inboxes are not affected

        first.close();
        NodeSession third = Collector.login(node, alice);
        node.dropConnections(alice.inboxId()); // ends second and third
        assertThat(second.isOpen()).isFalse();
        assertThat(third.isOpen()).isFalse();
        Collector.login(node, alice);
        Collector.login(node, alice);
    }

    @Test
    void aSessionBeyondItsSubscriptionsIsRefusedAndEachEndFreesOne() {
        Node node = start(NodeLimits.builder().maxSubscriptionsPerSession(2).build());
        NodeSession s = Collector.login(node, Identity.generate());
        String topic = newGroup(s);
        Collector broken = new Collector();
        Subscription cancelled = s.subscribe(Map.of(topic, 0L), 1, HEARTBEAT, new Collector());
        Subscription failing = s.subscribe(Map.of(topic, 0L), 1, HEARTBEAT, broken);
        assertThat(node.subscriptionCount()).isEqualTo(2);

        LimitExceededException refused = limitOf(catchThrowable(
                () -> s.subscribe(Map.of(topic, 0L), 1, HEARTBEAT, new Collector())));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.SUBSCRIPTIONS_PER_SESSION);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(node.subscriptionCount()).as("a refused subscribe registers nothing").isEqualTo(2);

        cancelled.cancel();                               // ended by the client
        await().atMost(WAIT).until(() -> node.subscriptionCount() == 1);
        failing.request(0);                               // ended by an error
        await().atMost(WAIT).until(() -> node.subscriptionCount() == 0);
        assertThat(broken.errors).hasSize(1);
        s.subscribe(Map.of(topic, 0L), 1, HEARTBEAT, new Collector());
        s.subscribe(Map.of(topic, 0L), 1, HEARTBEAT, new Collector());
        s.close();                                        // ended with the session
        await().atMost(WAIT).until(() -> node.subscriptionCount() == 0);
    }

    @Test
    void refusedSubscriptionsLeaveNothingBehind() {
        Node node = start(NodeLimits.DEFAULTS);
        NodeSession s = Collector.login(node, Identity.generate());
        String topic = newGroup(s);
        NodeSession other = Collector.login(node, Identity.generate());
        String forbidden = newGroup(other);

        assertThatThrownBy(() -> s.subscribe(Map.of(topic, 0L), 1, Duration.ofMillis(Long.MAX_VALUE), new Collector()))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> s.subscribe(Map.of(forbidden, 0L), 1, HEARTBEAT, new Collector()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(node.subscriptionCount()).isZero();
        s.close();
        other.close();
        assertThat(node.connectionCount()).isZero();
    }

    @Test
    void conversationsBeyondTheRateAreRefusedRetryablyPerInbox() {
        Node node = start(NodeLimits.builder().conversationsPerInboxPerMinute(3).build());
        NodeSession alice = Collector.login(node, Identity.generate());
        assertThatThrownBy(() -> alice.createConversation(ConversationType.DM, List.of("not-an-inbox"), ""))
                .isInstanceOf(ProtocolException.class); // a malformed request takes no token
        for (int i = 0; i < 3; i++) {
            newGroup(alice);
        }

        LimitExceededException refused = limitOf(catchThrowable(() -> newGroup(alice)));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.CONVERSATIONS_PER_MINUTE);
        assertThat(refused.isRetryable()).isTrue();
        newGroup(Collector.login(node, Identity.generate())); // another inbox has its own bucket
        limitOf(catchThrowable(() -> newGroup(alice)));
    }

    @Test
    void storedBytesPerInboxHoldAcrossRestartsAndRetentionFreesThem() {
        NodeLimits limits = NodeLimits.builder().maxStoredBytesPerInbox(1_000).build();
        Identity alice = Identity.generate();
        Node node = start(Node.builder().name("bytes-1").dataDir(dir).limits(limits));
        NodeSession s = Collector.login(node, alice);
        String a = newGroup(s);
        String b = newGroup(s);
        join(s.publish(a, new byte[600], "a1"));

        LimitExceededException refused = limitOf(catchThrowable(() -> join(s.publish(b, new byte[600], "b1"))));
        assertThat(refused.limit()).isEqualTo(LimitExceededException.STORED_BYTES_PER_INBOX);
        assertThat(refused.isRetryable()).isFalse();
        assertThat(s.query(b, 0, 10)).isEmpty();
        NodeSession bob = Collector.login(node, Identity.generate());
        join(bob.publish(newGroup(bob), new byte[900], "x")); // bob has his own quota
        node.close();

        Node restarted = start(Node.builder().name("bytes-2").dataDir(dir).limits(limits)
                .retention(Retention.KEEP_ALL.withMaxPerTopic(1)).retentionInterval(Duration.ofMillis(50)));
        NodeSession again = Collector.login(restarted, alice);
        limitOf(catchThrowable(() -> join(again.publish(b, new byte[600], "b1")))); // still counted after the restart
        join(again.publish(a, new byte[300], "a2")); // 900 stored; retention then drops a1
        await().atMost(WAIT).untilAsserted(() -> assertThat(again.query(a, 0, 10)).hasSize(1));
        assertThat(join(again.publish(b, new byte[600], "b1")).sequence()).isEqualTo(1);
        limitOf(catchThrowable(() -> join(again.publish(b, new byte[200], "b2"))));
    }
}
