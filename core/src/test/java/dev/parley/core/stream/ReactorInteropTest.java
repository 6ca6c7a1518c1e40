package dev.parley.core.stream;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.core.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Parley streams consumed by Reactor through {@code asPublisher()}: the README's example, and backpressure. */
@Timeout(60)
class ReactorInteropTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void aFluxTakesMessagesThenCancellingEndsTheStream() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages();
        Flux<String> texts = JdkFlowAdapter.flowPublisherToFlux(stream.asPublisher())
                .map(m -> (String) m.content());
        List.of("a", "b", "c", "d").forEach(group::send);

        assertThat(texts.take(3).collectList().block(Duration.ofSeconds(10))).containsExactly("a", "b", "c");
        await().atMost(Duration.ofSeconds(10)).until(stream::isDone);
        assertThat(stream.state()).isEqualTo(StreamState.ENDED);
    }

    @Test
    void aSubscriberThatStopsRequestingHoldsTheNodeBackThenGetsEverythingInOrder() {
        int bufferSize = 16;
        int total = 300;
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().bufferSize(bufferSize).build());
        DefaultMessageStream<DecodedMessage> parley = (DefaultMessageStream<DecodedMessage>) stream;
        Slow slow = new Slow();
        JdkFlowAdapter.flowPublisherToFlux(stream.asPublisher()).subscribe(slow);
        IntStream.range(0, total).forEach(i -> group.send(Integer.toString(i)));

        // refilled: the 2 taken are less than a quarter window, so they are not asked for again (one Demand per quarter)
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.received.size() == 2
                && parley.bufferedForTest() == bufferSize - 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> slow.received.size() == 2 && parley.bufferedForTest() <= bufferSize);

        slow.request(Long.MAX_VALUE);
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.received.size() == total);
        assertThat(slow.received).containsExactlyElementsOf(IntStream.range(0, total).mapToObj(Integer::toString).toList());
        stream.end();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.completed);
    }

    @Test
    void aPushModeStreamHasNoPublisherAndASecondSubscriberIsRefused() {
        Client bob = net.client();
        MessageStream<DecodedMessage> push = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().onValue(m -> { }).build());
        assertThatThrownBy(push::asPublisher).isInstanceOf(IllegalStateException.class).hasMessageContaining("push mode");

        MessageStream<DecodedMessage> pull = bob.conversations().streamAllMessages();
        JdkFlowAdapter.flowPublisherToFlux(pull.asPublisher()).subscribe();
        assertThatThrownBy(() -> JdkFlowAdapter.flowPublisherToFlux(pull.asPublisher()).blockFirst(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one consumer");
        assertThatThrownBy(() -> pull.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    /** Requests two values, then nothing until told. */
    private static final class Slow extends BaseSubscriber<DecodedMessage> {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile boolean completed;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(2);
        }

        @Override
        protected void hookOnNext(DecodedMessage value) {
            received.add((String) value.content());
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }
    }
}
