package dev.parley.core.conversation;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.parley.protocol.MessagePayload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link MessagePayload} read where its fields lie in the envelope's payload: offsets instead of a
 * message, no string decoded for the content type (the receive path compares its bytes with the last
 * one it resolved) and no copy of the content. It accepts and refuses exactly what
 * {@code MessagePayload.parser().parseFrom(CodedInputStream)} does: the wire rules are
 * {@link CodedInputStream}'s, the last occurrence of a field wins, each occurrence of a string field
 * must be valid UTF-8, and unknown fields go through {@link UnknownFieldSet} as the generated code
 * sends them (an end-group tag ends the message there).
 */
final class PayloadFields {
    private static final int CONTENT_TYPE_TAG = lengthDelimited(MessagePayload.CONTENT_TYPE_FIELD_NUMBER);
    private static final int CONTENT_TAG = lengthDelimited(MessagePayload.CONTENT_FIELD_NUMBER);
    private static final int FALLBACK_TAG = lengthDelimited(MessagePayload.FALLBACK_FIELD_NUMBER);

    final byte[] bytes;
    private int typeAt;
    private int typeLength;
    int contentAt;
    int contentLength;
    private int fallbackAt;
    private int fallbackLength;

    private PayloadFields(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads {@code payload}; a content type whose bytes equal {@code validType} (already known to be
     * valid UTF-8, may be null) is not checked again.
     */
    static PayloadFields read(byte[] payload, byte[] validType) throws InvalidProtocolBufferException {
        PayloadFields fields = new PayloadFields(payload);
        if (fields.readPlain(validType)) {
            return fields;
        }
        fields = new PayloadFields(payload);
        CodedInputStream in = CodedInputStream.newInstance(payload);
        UnknownFieldSet.Builder unknown = null;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == CONTENT_TYPE_TAG) {
                    fields.typeLength = in.readRawVarint32();
                    fields.typeAt = skip(in, fields.typeLength);
                    if (!fields.typeIs(validType)) {
                        requireUtf8(payload, fields.typeAt, fields.typeLength);
                    }
                } else if (tag == CONTENT_TAG) {
                    fields.contentLength = in.readRawVarint32();
                    fields.contentAt = skip(in, fields.contentLength);
                } else if (tag == FALLBACK_TAG) {
                    fields.fallbackLength = in.readRawVarint32();
                    fields.fallbackAt = skip(in, fields.fallbackLength);
                    requireUtf8(payload, fields.fallbackAt, fields.fallbackLength);
                } else {
                    unknown = unknown == null ? UnknownFieldSet.newBuilder() : unknown;
                    if (!unknown.mergeFieldFrom(tag, in)) {
                        break; // an end-group tag: the generated parser stops there too
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) { // not from an array, but declared by the unknown-field path
            throw new InvalidProtocolBufferException(e);
        }
        return fields;
    }

    /**
     * The common payload read without a {@link CodedInputStream}: only the three known fields, each
     * tag one byte and each length a varint of one or two bytes within the payload. Answers false,
     * having checked nothing that throws, at the first thing outside that (another tag, a longer
     * varint, a length past the end), and the caller reads the payload again the general way, which
     * accepts or refuses it as the generated parser does; what this accepts, that reads the same.
     */
    private boolean readPlain(byte[] validType) throws InvalidProtocolBufferException {
        int end = bytes.length;
        int at = 0;
        while (at < end) {
            int tag = bytes[at];
            if (tag != CONTENT_TYPE_TAG && tag != CONTENT_TAG && tag != FALLBACK_TAG || at + 1 == end) {
                return false;
            }
            int length = bytes[at + 1];
            at += 2;
            if (length < 0) { // a second varint byte
                if (at == end || bytes[at] < 0) {
                    return false;
                }
                length = (length & 0x7f) | bytes[at++] << 7;
            }
            if (length > end - at) {
                return false;
            }
            if (tag == CONTENT_TYPE_TAG) {
                typeAt = at;
                typeLength = length;
            } else if (tag == CONTENT_TAG) {
                contentAt = at;
                contentLength = length;
            } else {
                fallbackAt = at;
                fallbackLength = length;
                requireUtf8(bytes, at, length);
            }
            if (tag == CONTENT_TYPE_TAG && !typeIs(validType)) {
                requireUtf8(bytes, at, length);
            }
            at += length;
        }
        return true;
    }

    /** Whether the content type's bytes are {@code text}'s (false for null). */
    boolean typeIs(byte[] text) {
        return text != null && Arrays.equals(text, 0, text.length, bytes, typeAt, typeAt + typeLength);
    }

    /** A copy of the content type's bytes. */
    byte[] typeBytes() {
        return Arrays.copyOfRange(bytes, typeAt, typeAt + typeLength);
    }

    String type() {
        return new String(bytes, typeAt, typeLength, StandardCharsets.UTF_8);
    }

    /** The fallback text, null when empty (as the receive path reports it). */
    String fallbackOrNull() {
        return fallbackLength == 0 ? null : new String(bytes, fallbackAt, fallbackLength, StandardCharsets.UTF_8);
    }

    byte[] contentCopy() {
        return Arrays.copyOfRange(bytes, contentAt, contentAt + contentLength);
    }

    /** The tag of a length-delimited field (WireFormat.makeTag, which is not public). */
    private static int lengthDelimited(int fieldNumber) {
        return fieldNumber << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** Skips a length-delimited value as {@code readBytes} would read it; returns where it starts. */
    private static int skip(CodedInputStream in, int length) throws IOException {
        int at = in.getTotalBytesRead();
        in.skipRawBytes(length); // refuses a negative or truncated length as readBytes does
        return at;
    }

    private static void requireUtf8(byte[] bytes, int at, int length) throws InvalidProtocolBufferException {
        if (!UnsafeByteOperations.unsafeWrap(bytes, at, length).isValidUtf8()) {
            throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
        }
    }
}
