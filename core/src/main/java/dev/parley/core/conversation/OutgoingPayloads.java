package dev.parley.core.conversation;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.parley.ContentTypeId;
import dev.parley.core.codec.Codecs;

import java.io.IOException;
import java.io.UncheckedIOException;

import static dev.parley.protocol.MessagePayload.CONTENT_FIELD_NUMBER;
import static dev.parley.protocol.MessagePayload.CONTENT_TYPE_FIELD_NUMBER;
import static dev.parley.protocol.MessagePayload.FALLBACK_FIELD_NUMBER;

/**
 * The wire payload ({@code MessagePayload}) of a message a client sends, written straight into one array of its
 * exact size: the same bytes as the generated message's {@code toByteArray} (proto3: empty fields left out; see
 * {@code OutgoingPayloadsTest}), without a builder and a message object per send, and with one copy of the content.
 * The content type's name is kept in its UTF-8 form for the type sent last (sends of one type are the common case),
 * so it is neither rebuilt nor encoded again per send.
 */
final class OutgoingPayloads {
    private final LastComputed<ContentTypeId, ByteString> typeNames =
            new LastComputed<>(type -> ByteString.copyFromUtf8(type.toString()));

    /** The serialized payload of {@code encoded} content of {@code type}. */
    byte[] encode(ContentTypeId type, Codecs.Encoded encoded) {
        ByteString typeName = typeNames.get(type);
        byte[] content = encoded.bytes();
        String fallback = encoded.fallback();
        boolean hasFallback = fallback != null && !fallback.isEmpty();
        int size = (typeName.isEmpty() ? 0 : CodedOutputStream.computeBytesSize(CONTENT_TYPE_FIELD_NUMBER, typeName))
                + (content.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(CONTENT_FIELD_NUMBER, content))
                + (hasFallback ? CodedOutputStream.computeStringSize(FALLBACK_FIELD_NUMBER, fallback) : 0);
        byte[] payload = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(payload);
        try {
            if (!typeName.isEmpty()) {
                out.writeBytes(CONTENT_TYPE_FIELD_NUMBER, typeName); // a string's wire form is its UTF-8 bytes'
            }
            if (content.length > 0) {
                out.writeByteArray(CONTENT_FIELD_NUMBER, content);
            }
            if (hasFallback) {
                out.writeString(FALLBACK_FIELD_NUMBER, fallback);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) { // an array of the computed size cannot run out of space
            throw new UncheckedIOException(e);
        }
        return payload;
    }
}
