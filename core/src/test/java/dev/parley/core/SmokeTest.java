package dev.parley.core;

import dev.parley.Client;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.MessageStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @RegisterExtension
    final TestNode net = new TestNode();

    @Test
    void groupMessageReachesBothMembers() throws Exception {
        Client alice = net.client();
        Client bob = net.client();
        try (MessageStream<DecodedMessage> bobStream = bob.conversations().streamAllMessages()) {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            String id = group.send("hello bob");
            DecodedMessage got = bobStream.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(got.content()).isEqualTo("hello bob");
            assertThat(got.id()).isEqualTo(id);
            assertThat(got.senderInboxId()).isEqualTo(alice.inboxId());
            assertThat(group.messages()).extracting(DecodedMessage::content).containsExactly("hello bob");
        }
    }
}
