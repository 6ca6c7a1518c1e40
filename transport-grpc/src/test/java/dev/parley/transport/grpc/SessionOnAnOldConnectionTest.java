package dev.parley.transport.grpc;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.node.Node;
import dev.parley.spi.node.NodeLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * gRPC multiplexes calls: after the node ends a session (a drop, not a broken connection) the client
 * reconnects with a new call on the same HTTP/2 connection, accepted long ago. The pre-authentication
 * time counts from the accept for the connection's first call only; a later call gets all of it.
 */
@Timeout(60)
class SessionOnAnOldConnectionTest {
    private static final Duration PRE_AUTHENTICATION = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSessionOpenedOnAConnectionOlderThanThePreAuthenticationTimeStillAuthenticates() {
        try (Node node = Node.builder().name("old-connection").listen("grpc://127.0.0.1:0")
                .limits(NodeLimits.builder().preAuthenticationTimeout(PRE_AUTHENTICATION).build()).build().start();
             Client alice = Client.create(ClientOptions.builder().endpoint(node.endpoint("grpc").toString())
                     .identity(Identity.generate()).build());
             Client bob = Client.create(ClientOptions.builder().endpoint(node.endpoint("grpc").toString())
                     .identity(Identity.generate()).build())) {
            List<Object> seen = new CopyOnWriteArrayList<>();
            AtomicInteger retries = new AtomicInteger();
            try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(
                    StreamOptions.<DecodedMessage>builder().onValue(m -> seen.add(m.content()))
                            .onRetry((attempt, max) -> retries.incrementAndGet()).build())) {
                Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
                group.send("before");
                await().atMost(WAIT).until(() -> seen.contains("before"));
                // the connection outlives the pre-authentication time; an authenticated session is not bound by it
                await().during(PRE_AUTHENTICATION.multipliedBy(2)).atMost(WAIT)
                        .until(() -> stream.state() == StreamState.LIVE);

                node.dropConnections(bob.inboxId()); // ends the call; the HTTP/2 connection stays
                group.send("after");
                await().atMost(WAIT).until(() -> seen.contains("after") && stream.state() == StreamState.LIVE);
                assertThat(seen).containsExactly("before", "after");
                // the first reconnect got in: not refused for a pre-authentication time spent long ago
                assertThat(retries).hasValue(1);
            }
        }
    }
}
