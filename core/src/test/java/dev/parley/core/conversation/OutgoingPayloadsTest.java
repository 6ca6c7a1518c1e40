package dev.parley.core.conversation;

import com.google.protobuf.ByteString;
import dev.parley.ContentTypeId;
import dev.parley.core.codec.Codecs;
import dev.parley.protocol.MessagePayload;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OutgoingPayloadsTest {
    private final OutgoingPayloads payloads = new OutgoingPayloads();

    @Test
    void writesTheSameBytesAsTheGeneratedMessage() {
        ContentTypeId custom = new ContentTypeId("example.org", "räksmörgås", 2, 7);
        byte[] large = new byte[70_000]; // a length that takes three varint bytes
        large[69_999] = 42;
        assertSameAsGenerated(ContentTypeId.TEXT, new Codecs.Encoded("hello".getBytes(StandardCharsets.UTF_8), null));
        assertSameAsGenerated(ContentTypeId.TEXT, new Codecs.Encoded(new byte[0], null));
        assertSameAsGenerated(custom, new Codecs.Encoded(new byte[] {1, 2, 3}, "a fallback ✓"));
        assertSameAsGenerated(custom, new Codecs.Encoded(large, ""));
        assertSameAsGenerated(ContentTypeId.TEXT, new Codecs.Encoded(new byte[] {7}, "after a type change"));
    }

    @Test
    void parsesBackToTheContentSent() throws Exception {
        byte[] wire = payloads.encode(ContentTypeId.TEXT, new Codecs.Encoded(new byte[] {9, 8}, "fb"));

        MessagePayload parsed = MessagePayload.parseFrom(wire);
        assertThat(parsed.getContentType()).isEqualTo("parley.dev/text:1.0");
        assertThat(parsed.getContent()).isEqualTo(ByteString.copyFrom(new byte[] {9, 8}));
        assertThat(parsed.getFallback()).isEqualTo("fb");
    }

    private void assertSameAsGenerated(ContentTypeId type, Codecs.Encoded encoded) {
        MessagePayload.Builder generated = MessagePayload.newBuilder().setContentType(type.toString())
                .setContent(ByteString.copyFrom(encoded.bytes()));
        if (encoded.fallback() != null) {
            generated.setFallback(encoded.fallback());
        }
        assertThat(payloads.encode(type, encoded)).isEqualTo(generated.build().toByteArray());
    }
}
