package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.NoTransportException;
import dev.parley.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Client.create} with several endpoints: every scheme is checked first, then the first that answers is used. */
class ClientEndpointsTest {
    @RegisterExtension
    final TestNode first = new TestNode();

    @Test
    void anUnknownSchemeAnywhereInTheListFailsBeforeAnyConnection() {
        ClientOptions options = ClientOptions.builder().identity(Identity.generate())
                .endpoints(List.of(first.endpoint(), "carrier-pigeon://coop")).build();

        assertThatThrownBy(() -> Client.create(options))
                .isInstanceOfSatisfying(NoTransportException.class, e -> assertThat(e.scheme()).isEqualTo("carrier-pigeon"));
        assertThat(first.node().connectionCount()).isZero();
    }

    @Test
    void theFirstEndpointThatAnswersIsUsedAndTheOthersAreLeftAlone() {
        try (Node next = Node.builder().name("endpoints-next-" + System.nanoTime()).build().start();
             Client client = Client.create(ClientOptions.builder().identity(Identity.generate())
                     .endpoints(List.of(first.endpoint(), next.endpoint("inproc").toString())).build())) {
            client.conversations().newGroup(List.of()).send("hello");
            client.conversations().sync();

            assertThat(first.node().connectionCount()).isEqualTo(1);
            assertThat(next.connectionCount()).isZero();
        }
    }
}
