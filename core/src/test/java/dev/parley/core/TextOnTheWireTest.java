package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.internal.Topics;
import dev.parley.protocol.MessagePayload;
import dev.parley.spi.Envelope;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A text message carries its text once: in its content, with no fallback copy, on the wire and in the stores. */
@Timeout(30)
class TextOnTheWireTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void aTextMessageCarriesItsTextOnce() throws Exception {
        Identity aliceId = Identity.generate();
        Client alice = net.client(aliceId);
        Group group = alice.conversations().newGroup(List.of());
        String text = "x".repeat(64);
        group.send(text);

        Envelope stored;
        try (Transport raw = TransportRegistry.forScheme("inproc").connect(URI.create(net.endpoint()),
                TransportConfig.builder().authenticator(aliceId).build())) {
            stored = raw.query(Topics.conversation(group.id()), 0, 10).get(10, TimeUnit.SECONDS).get(0);
        }
        MessagePayload payload = MessagePayload.parseFrom(stored.payload());
        assertThat(payload.getContent().toStringUtf8()).isEqualTo(text);
        assertThat(payload.getFallback()).isEmpty();
        // content type (2 + 19 bytes) and content (2 + 64 bytes): nothing else
        assertThat(stored.payload()).hasSize(87);
        DecodedMessage received = group.messages().get(0);
        assertThat(received.content()).isEqualTo(text);
        assertThat(received.fallback()).isNull();
        assertThat(new String(stored.payload(), StandardCharsets.ISO_8859_1).split(text, -1)).hasSize(2);
    }
}
