package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.ProtocolException;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.spi.node.NodeLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Streams that follow more topics than one subscription may hold, on a node with small limits (5 topics × 4 subscriptions). */
@Timeout(60)
class SplitStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final TestNode net = new TestNode().limits(NodeLimits.builder()
            .maxTopicsPerSubscription(5).maxSubscriptionsPerSession(4).build());

    @Test
    void aPullStreamOverSeveralSubscriptionsKeepsOrderPerConversationWithinItsSmallBuffer() throws Exception {
        Client alice = net.client();
        Client bob = net.client();
        List<Group> groups = groups(alice, bob, 12); // with bob's own topics: three subscriptions
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        int rounds = 20;
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                StreamOptions.<DecodedMessage>builder().bufferSize(4).onError(errors::add).build())) {
            for (int round = 0; round < rounds; round++) {
                for (int g = 0; g < groups.size(); g++) {
                    groups.get(g).send(g + ":" + round);
                }
            }
            Map<String, List<Integer>> seen = new HashMap<>();
            for (int i = 0; i < rounds * groups.size(); i++) {
                DecodedMessage m = stream.poll(WAIT).orElseThrow(() -> new AssertionError("missing messages"));
                seen.computeIfAbsent(m.conversationId(), c -> new ArrayList<>())
                        .add(Integer.parseInt(((String) m.content()).split(":")[1]));
            }
            List<Integer> inOrder = java.util.stream.IntStream.range(0, rounds).boxed().toList();
            assertThat(seen).hasSize(groups.size()).allSatisfy((c, rounds2) -> assertThat(rounds2).isEqualTo(inOrder));
            assertThat(stream.state()).isEqualTo(StreamState.LIVE);
        }
        assertThat(errors).as("never beyond the demand, never restarted").isEmpty();
    }

    @Test
    void beyondTopicsPerSubscriptionTimesSubscriptionsTheStreamSaysSoWithATypedErrorAndDoesNotLoop() {
        Client alice = net.client();
        Client bob = net.client();
        List<Group> groups = groups(alice, bob, 15);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Object> received = new CopyOnWriteArrayList<>();
        List<String> ends = new CopyOnWriteArrayList<>();
        MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                .onValue(m -> received.add(m.content())).onError(errors::add).retryDelay(Duration.ofMillis(10))
                .onFail(() -> ends.add("fail")).build());
        groups.addAll(groups(alice, bob, 8)); // 20 topics fit one connection (5 × 4); these go beyond
        int beyond = 23 + 2 - 5 * 4; // 23 conversations and bob's welcome and preference topics
        await().atMost(WAIT).until(() -> errors.size() >= beyond);
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("5 topics per subscription").hasMessageContaining("4 subscriptions per connection"));
        groups.get(0).send("still streaming");
        await().atMost(WAIT).until(() -> received.contains("still streaming"));
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);

        assertThat(errors).hasSize(beyond);
        int before = errors.size();
        net.node().dropConnections(bob.inboxId()); // the restart resubscribes to what the stream follows: what fit
        groups.get(0).send("after the restart");
        await().atMost(WAIT).until(() -> received.contains("after the restart"));
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);
        assertThat(errors.subList(before, errors.size())).as("only the drop").singleElement()
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.isRetryable()).isTrue());
        stream.end();
        assertThat(ends).isEmpty();

        assertThatThrownBy(() -> bob.conversations().streamAllMessages(StreamOptions.<DecodedMessage>builder()
                .onValue(m -> { }).build()))
                .as("a new stream of more than one connection may follow fails at once, it does not retry")
                .isInstanceOfSatisfying(StreamFailedException.class, e -> assertThat(e.getCause())
                        .isInstanceOf(ProtocolException.class).hasMessageContaining("subscriptions per connection"));
    }

    private static List<Group> groups(Client owner, Client member, int count) {
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            groups.add(owner.conversations().newGroup(List.of(member.inboxId())));
        }
        return groups;
    }
}
