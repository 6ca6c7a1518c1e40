package dev.parley.core;

import com.google.protobuf.ByteString;
import dev.parley.Client;
import dev.parley.ContentCodec;
import dev.parley.ContentTypeId;
import dev.parley.Conversation;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.ProtocolException;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.internal.Topics;
import dev.parley.protocol.MessagePayload;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A member publishes messages that do not parse or decode (a hostile or buggy peer): the victim's
 * sync, its streams' catch-up and its live streams skip them, move their cursors past them and
 * deliver the next good message; nothing fails, nothing retries.
 */
@Timeout(60)
class PoisonContentTest {
    /** Content type whose codec throws something other than a ProtocolException on any input. */
    private static final ContentTypeId FRAGILE = new ContentTypeId("test.parley.dev", "fragile", 1, 0);

    @RegisterExtension
    final TestNode net = new TestNode();

    private final Identity aliceId = Identity.generate();

    @Test
    void contentTypeParseFailuresAreProtocolExceptions() {
        for (String bad : List.of("parley.dev/text:99999999999.0", "parley.dev/text:1.99999999999", "text", "", "a/b:1")) {
            assertThatThrownBy(() -> ContentTypeId.parse(bad)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("malformed content type");
        }
        assertThatThrownBy(() -> ContentTypeId.parse(null)).isInstanceOf(ProtocolException.class);
        assertThat(ContentTypeId.parse("parley.dev/text:2147483647.0").versionMajor()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void syncSkipsPoisonAndKeepsTheNextMessage() {
        Client alice = net.client(aliceId);
        Client bob = bobClient();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        publishPoison(group);
        group.send("after");

        bob.conversations().sync();
        bob.conversations().sync(); // the cursor moved past the poison: a second sync does not meet it again
        Conversation bobsGroup = bob.conversations().getConversationById(group.id()).orElseThrow();
        assertThat(bobsGroup.messages()).extracting(DecodedMessage::content).containsExactly("after");
    }

    @Test
    void streamAllMessagesSkipsPoisonInCatchUpAndLive() throws Exception {
        Client alice = net.client(aliceId);
        Client bob = bobClient();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        publishPoison(group); // met by the stream's catch-up sync
        Recorder<DecodedMessage> recorder = new Recorder<>(m -> String.valueOf(m.content()));
        try (MessageStream<DecodedMessage> stream = bob.conversations().streamAllMessages(recorder.options().build())) {
            group.send("first");
            recorder.awaitValues(1);
            publishPoison(group); // met live
            group.send("second");
            recorder.awaitValues(2);
            assertThat(recorder.values).extracting(DecodedMessage::content).containsExactly("first", "second");
            assertThat(recorder.lifecycle()).doesNotContain("failed", "fail", "restart")
                    .noneMatch(event -> event.startsWith("retry"));
        }
    }

    @Test
    void conversationStreamSkipsPoisonAndDeliversTheNextMessage() throws Exception {
        Client alice = net.client(aliceId);
        Client bob = bobClient();
        Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
        bob.conversations().sync();
        Conversation bobsGroup = bob.conversations().getConversationById(group.id()).orElseThrow();
        try (MessageStream<DecodedMessage> stream = bobsGroup.stream()) { // pull mode
            publishPoison(group);
            group.send("after");
            assertThat(stream.poll(Duration.ofSeconds(20)).orElseThrow().content()).isEqualTo("after");
            publishPoison(group);
            group.send("again");
            assertThat(stream.poll(Duration.ofSeconds(20)).orElseThrow().content()).isEqualTo("again");
        }
        assertThat(bobsGroup.messages()).extracting(DecodedMessage::content).containsExactly("after", "again");
    }

    private Client bobClient() {
        return net.client(Identity.generate(), options -> options.codec(new FragileCodec()));
    }

    /** Alice's installation, bypassing her SDK, publishes what no client can decode. */
    private void publishPoison(Group group) {
        String topic = Topics.conversation(group.id());
        List<byte[]> poison = List.of(
                payload("parley.dev/text:99999999999.0", "x".getBytes(StandardCharsets.UTF_8)), // version overflows an int
                payload("no type at all", new byte[] {1}),
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, // not a protobuf message
                payload(ContentTypeId.TEXT.toString(), new byte[] {(byte) 0xc3, (byte) 0x28}), // invalid UTF-8
                payload(FRAGILE.toString(), new byte[] {7})); // the codec throws IllegalStateException
        try (Transport raw = TransportRegistry.forScheme("inproc").connect(URI.create(net.endpoint()),
                TransportConfig.builder().authenticator(aliceId).build())) {
            for (byte[] bytes : poison) {
                raw.publish(topic, bytes, "poison-" + System.nanoTime()).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("could not publish the poison", e);
        }
    }

    private static byte[] payload(String contentType, byte[] content) {
        return MessagePayload.newBuilder().setContentType(contentType).setContent(ByteString.copyFrom(content))
                .build().toByteArray();
    }

    private static final class FragileCodec implements ContentCodec<String> {
        @Override
        public ContentTypeId contentType() {
            return FRAGILE;
        }

        @Override
        public byte[] encode(String content) {
            return content.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            throw new IllegalStateException("fragile codec cannot decode " + bytes.length + " bytes");
        }
    }
}
