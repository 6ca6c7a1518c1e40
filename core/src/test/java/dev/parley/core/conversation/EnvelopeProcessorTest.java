package dev.parley.core.conversation;

import com.google.protobuf.ByteString;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.ProtocolException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.InMemoryMessageStore;
import dev.parley.internal.Topics;
import dev.parley.protocol.MessagePayload;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receive path's content types (the last one is compared by its bytes) and content, message by message. */
class EnvelopeProcessorTest {
    private static final String INBOX = "me";
    private static final String TOPIC = Topics.conversation("c1");

    private final InMemoryMessageStore store = new InMemoryMessageStore(100);
    private final EnvelopeProcessor processor = new EnvelopeProcessor(INBOX, store, new Codecs(List.of()));
    private long sequence;

    EnvelopeProcessorTest() {
        store.putConversation(new ConversationRecord("c1", ConversationType.GROUP, List.of(INBOX, "other"), INBOX, 0, "n"));
    }

    @Test
    void eachMessageGetsItsOwnContentTypeWhenTypesAlternate() {
        ContentTypeId other = ContentTypeId.parse("example.org/thing:1.0");
        DecodedMessage first = processor.message(envelope("parley.dev/text:1.0", ByteString.copyFromUtf8("hi"), ""));
        DecodedMessage second = processor.message(envelope("example.org/thing:1.0", ByteString.copyFromUtf8("x"), "fb"));
        DecodedMessage third = processor.message(envelope("parley.dev/text:1.0", ByteString.copyFromUtf8("grüße"), ""));
        DecodedMessage fourth = processor.message(envelope("example.org/thing:1.0", ByteString.EMPTY, ""));

        assertThat(first.contentType()).isEqualTo(ContentTypeId.TEXT);
        assertThat(first.content()).isEqualTo("hi");
        assertThat(first.fallback()).isNull();
        assertThat(second.contentType()).isEqualTo(other);
        assertThat(second.content()).isNull(); // no codec for it: its fallback stands in
        assertThat(second.fallback()).isEqualTo("fb");
        assertThat(third.contentType()).isEqualTo(ContentTypeId.TEXT);
        assertThat(third.content()).isEqualTo("grüße");
        assertThat(fourth.contentType()).isEqualTo(other);
        assertThat(store.messages("c1")).extracting(DecodedMessage::id).contains(third.id());
    }

    @Test
    void aContentTypeThatIsNotUtf8IsRefusedAfterAValidOne() {
        processor.message(envelope("parley.dev/text:1.0", ByteString.copyFromUtf8("hi"), ""));
        byte[] payload = new byte[] {(MessagePayload.CONTENT_TYPE_FIELD_NUMBER << 3) | 2, 2, 'p', (byte) 0xC3};

        assertThatThrownBy(() -> processor.message(new Envelope(TOPIC, ++sequence, 0, payload, "k", "other")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed message");
        assertThat(processor.message(envelope("parley.dev/text:1.0", ByteString.copyFromUtf8("ok"), "")).content())
                .isEqualTo("ok");
    }

    @Test
    void textThatIsNotUtf8IsAProtocolError() {
        assertThatThrownBy(() -> processor.message(envelope("parley.dev/text:1.0",
                ByteString.copyFrom(new byte[] {'a', (byte) 0xFF}), ""))).isInstanceOf(ProtocolException.class);
    }

    private Envelope envelope(String type, ByteString content, String fallback) {
        byte[] payload = MessagePayload.newBuilder().setContentType(type).setContent(content).setFallback(fallback)
                .build().toByteArray();
        return new Envelope(TOPIC, ++sequence, 0, payload, "k" + sequence, "other");
    }
}
