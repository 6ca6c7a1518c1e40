package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.StreamFailedException;
import dev.parley.StreamState;
import dev.parley.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retry behaviour end to end, over a real node: what a drop looks like to the callbacks and that
 * nothing is lost. The timing (backoff, counter reset, flapping) is checked on a fake clock in
 * {@code dev.parley.core.stream.RetryScheduleTest}.
 */
@Timeout(60)
class RetryTest {
    private static final Duration FAST = Duration.ofMillis(5);

    @RegisterExtension
    final TestNode net = new TestNode().heartbeat(Duration.ofSeconds(5));

    @Test
    void oneDropGivesErrorRetryRestartAndLosesNothing() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                rec.options().retryDelay(FAST).build())) {
            group.send("a");
            rec.awaitValues(1);
            net.node().dropConnections(bob.inboxId());
            group.send("b");
            rec.awaitEvent("restart");
            group.send("c");
            rec.awaitValues(3);
            assertThat(rec.lifecycle()).containsExactly("error", "retry:1/10", "restart");
            assertThat(rec.values).extracting(m -> (String) m.content()).containsExactly("a", "b", "c");
            assertThat(stream.state()).isEqualTo(StreamState.LIVE);
        }
        assertThat(rec.lifecycle()).endsWith("end");
        assertThat(rec.maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void exhaustionEndsWithStreamFailedThenFailThenEnd() {
        Client bob = net.client();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                rec.options().retryAttempts(3).retryDelay(FAST).build());
        net.node().close(); // every reconnect now fails: no node of that name
        rec.awaitEvent("end");
        assertThat(rec.lifecycle()).containsExactly(
                "error", "retry:1/3", "error", "retry:2/3", "error", "retry:3/3", "error",
                "failed", "fail", "end");
        assertThat(stream.state()).isEqualTo(StreamState.FAILED);
        assertThat(stream.isDone()).isTrue();
        stream.end(); // idempotent after failure, no second onEnd
        assertThat(rec.lifecycle()).filteredOn("end"::equals).hasSize(1);
    }

    @Test
    void retryOnFailFalseFailsAtTheFirstDrop() {
        Client bob = net.client();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                rec.options().retryOnFail(false).build());
        net.node().dropConnections(bob.inboxId());
        rec.awaitEvent("end");
        assertThat(rec.lifecycle()).containsExactly("error", "failed", "fail", "end");
        assertThat(stream.state()).isEqualTo(StreamState.FAILED);
    }

    @Test
    void retryOnFailFalseThrowsWhenTheFirstAttemptFails() {
        Client bob = net.client();
        net.node().close();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        assertThatThrownBy(() -> bob.conversations().streamAllMessages(rec.options().retryOnFail(false).build()))
                .isInstanceOf(StreamFailedException.class);
        assertThat(rec.events).isEmpty();
    }

    @Test
    void firstAttemptFailureRetriesUntilTheNodeIsBack() {
        Client bob = net.client();
        String name = net.node().name();
        net.node().close();
        Recorder<DecodedMessage> rec = new Recorder<>(m -> (String) m.content());
        AtomicInteger retries = new AtomicInteger();
        Node[] revived = new Node[1];
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(rec.options()
                .retryAttempts(1000).retryDelay(Duration.ofMillis(20))
                .onRetry((attempt, max) -> {
                    rec.events.add("retry");
                    if (retries.incrementAndGet() == 3) {
                        revived[0] = Node.builder().name(name).build().start();
                    }
                }).build())) {
            assertThat(stream.state()).isIn(StreamState.RETRYING, StreamState.LIVE);
            rec.awaitEvent("restart");
            assertThat(rec.lifecycle()).startsWith("error", "retry").endsWith("retry", "restart");
        } finally {
            if (revived[0] != null) {
                revived[0].close();
            }
        }
    }
}
