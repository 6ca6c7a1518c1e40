package dev.parley.core.store.sqlite;

import dev.parley.ContentCodec;
import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import dev.parley.ParleyException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.conversation.LastComputed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A message's content as stored: encoded with the client's codecs, decoded again when read. */
final class MessageContent {
    private static final Logger log = LoggerFactory.getLogger(MessageContent.class);

    private final Codecs codecs;
    /** Messages mostly come in one content type: its name is built once, not once per row. */
    private final LastComputed<ContentTypeId, String> typeNames = new LastComputed<>(ContentTypeId::toString);

    MessageContent(Codecs codecs) {
        this.codecs = codecs;
    }

    /** The name a content type is stored under. */
    String typeName(ContentTypeId type) {
        return typeNames.get(type);
    }

    /** The content's bytes; null when it has none (no codec knew its type when it arrived). */
    byte[] encode(DecodedMessage message) {
        if (message.content() == null) {
            return null;
        }
        try {
            return codecs.encode(message.content(), message.contentType()).bytes();
        } catch (ParleyException | IllegalArgumentException e) {
            log.warn("storing message {} without content: {}", message.id(), e.getMessage());
            return null;
        }
    }

    /** The content of stored bytes; null without bytes or codec. */
    Object decode(ContentTypeId type, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return codecs.find(type).map(codec -> decode(codec, bytes)).orElse(null);
    }

    private static Object decode(ContentCodec<?> codec, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            log.warn("stored content of type {} no longer decodes: {}", codec.contentType(), e.getMessage());
            return null;
        }
    }
}
