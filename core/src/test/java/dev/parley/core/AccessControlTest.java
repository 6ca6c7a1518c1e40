package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.NoTransportException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.internal.Failures;
import dev.parley.internal.Topics;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class AccessControlTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    /** Bad signatures are covered by the transport TCK, which the in-process transport runs too. */
    private Transport connect(Identity who) {
        return TransportRegistry.forScheme("inproc").connect(URI.create(net.endpoint()),
                TransportConfig.builder().authenticator(who).build());
    }

    private static <T> Throwable failure(CompletableFuture<T> future) {
        return Failures.unwrap(future.handle((v, e) -> e).join());
    }

    @Test
    void nonMemberCanNeitherReadNorWriteAConversation() {
        Client alice = net.client();
        Client bob = net.client();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        try (Transport mallory = connect(Identity.generate())) {
            String topic = Topics.conversation(group.id());
            assertThat(failure(mallory.query(topic, 0, 10))).isInstanceOf(PermissionDeniedException.class);
            assertThat(failure(mallory.publish(topic, new byte[] {1}, "k1"))).isInstanceOf(PermissionDeniedException.class);
            assertThat(failure(mallory.subscribe(Map.of(topic, 0L), 10, listener())))
                    .isInstanceOf(PermissionDeniedException.class);
        }
        assertThat(group.messages()).isEmpty();
    }

    @Test
    void nobodyElseReadsMyWelcomeOrPrefsAndNobodyWritesWelcomes() {
        Client alice = net.client();
        try (Transport mallory = connect(Identity.generate())) {
            assertThat(failure(mallory.query(Topics.welcome(alice.inboxId()), 0, 10)))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(failure(mallory.query(Topics.preferences(alice.inboxId()), 0, 10)))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(failure(mallory.publish(Topics.preferences(alice.inboxId()), new byte[] {1}, "k")))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(failure(mallory.publish(Topics.welcome(alice.inboxId()), new byte[] {1}, "k")))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(failure(mallory.subscribe(Map.of(Topics.welcome(alice.inboxId()), 0L), 10, listener())))
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void unknownTopicKindIsAProtocolError() {
        try (Transport client = connect(Identity.generate())) {
            assertThat(failure(client.query("spam/everything", 0, 10))).isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void unknownSchemeNamesTheSchemeAndTheAvailableOnes() {
        assertThatThrownBy(() -> Client.create(ClientOptions.builder().endpoint("carrier-pigeon://coop")
                .identity(Identity.generate()).heartbeatInterval(Duration.ofSeconds(1)).build()))
                .isInstanceOfSatisfying(NoTransportException.class, e -> {
                    assertThat(e.scheme()).isEqualTo("carrier-pigeon");
                    assertThat(e.availableSchemes()).contains("inproc");
                    assertThat(e.getMessage()).contains("carrier-pigeon", "inproc");
                });
    }

    @Test
    void unreachableNodeFailsCreateWithATransportException() {
        assertThatThrownBy(() -> Client.create(ClientOptions.builder().endpoint("inproc://nobody-here")
                .identity(Identity.generate()).build()))
                .isInstanceOf(dev.parley.TransportException.class)
                .hasMessageContaining("nobody-here");
    }

    private static SubscriptionListener listener() {
        return new SubscriptionListener() {
            @Override
            public void onEnvelope(dev.parley.spi.Envelope envelope) {
            }

            @Override
            public void onError(Throwable error) {
            }
        };
    }
}
