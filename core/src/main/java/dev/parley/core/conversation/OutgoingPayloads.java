package dev.parley.core.conversation;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.parley.ContentTypeId;
import dev.parley.core.codec.Codecs;
import dev.parley.protocol.MessagePayload;

/**
 * The wire payload ({@code MessagePayload}) of a message a client sends, made with one copy of the content:
 * the codec's bytes are wrapped, not copied (they are read once, right here, while the payload is
 * serialized), and the content type's name is kept in its UTF-8 form for the type sent last (sends of one
 * type are the common case), so it is neither rebuilt nor encoded again per send.
 */
final class OutgoingPayloads {
    private final LastComputed<ContentTypeId, ByteString> typeNames =
            new LastComputed<>(type -> ByteString.copyFromUtf8(type.toString()));

    /** The serialized payload of {@code encoded} content of {@code type}. */
    byte[] encode(ContentTypeId type, Codecs.Encoded encoded) {
        MessagePayload.Builder payload = MessagePayload.newBuilder()
                .setContentTypeBytes(typeNames.get(type))
                .setContent(UnsafeByteOperations.unsafeWrap(encoded.bytes()));
        if (encoded.fallback() != null) {
            payload.setFallback(encoded.fallback());
        }
        return payload.build().toByteArray();
    }
}
