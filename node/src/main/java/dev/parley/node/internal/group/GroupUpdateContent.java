package dev.parley.node.internal.group;

import com.google.protobuf.WireFormat;
import dev.parley.ContentTypeId;
import dev.parley.protocol.GroupUpdate;
import dev.parley.protocol.MessagePayload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The content type only the node writes ({@link ContentTypeId#GROUP_UPDATED}): building it, and spotting it in what a client sends. */
public final class GroupUpdateContent {
    private static final String GROUP_UPDATED = ContentTypeId.GROUP_UPDATED.toString();
    /** Any version of it. */
    private static final byte[] ANY_VERSION_BYTES = (ContentTypeId.GROUP_UPDATED.authorityId() + "/"
            + ContentTypeId.GROUP_UPDATED.typeId() + ":").getBytes(StandardCharsets.UTF_8);
    /** Field 1 ({@code content_type}), length-delimited. */
    private static final int CONTENT_TYPE_TAG = MessagePayload.CONTENT_TYPE_FIELD_NUMBER << 3
            | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private GroupUpdateContent() {
    }

    /** The payload of the conversation entry of {@code update}. */
    static byte[] payload(GroupUpdate update) {
        return MessagePayload.newBuilder()
                .setContentType(GROUP_UPDATED)
                .setContent(update.toByteString())
                .build().toByteArray();
    }

    /**
     * Whether {@code payload} is a {@code MessagePayload} of content type {@code parley.dev/group_updated}
     * (any version). Reads only its content type fields (every one: a payload naming it anywhere is refused, whichever protobuf would keep) and skips
     * the rest; a payload that is not a MessagePayload is not one. On every publish, so it reads the
     * protobuf wire format in place, without allocating.
     */
    public static boolean isGroupUpdate(byte[] payload) {
        WireScan in = new WireScan(payload);
        boolean found = false;
        while (in.hasMore()) {
            long tag = in.varint();
            if (in.broken() || tag < 8) {
                return false; // field number 0 or truncated: not a MessagePayload
            }
            if (tag == CONTENT_TYPE_TAG) {
                int length = in.length();
                found |= length >= 0 && in.startsWith(length, ANY_VERSION_BYTES);
                in.skip(length);
            } else {
                in.skipField(tag, 0); // an end-group tag here breaks the scan, as it breaks protobuf's parser
            }
            if (in.broken()) {
                return false;
            }
        }
        return found;
    }

    /** Reading a protobuf message's fields in place; {@link #broken()} once something ran past the end. */
    private static final class WireScan {
        private static final int MAX_GROUP_DEPTH = 100; // protobuf's default recursion limit
        private final byte[] bytes;
        private int at;
        private boolean broken;

        WireScan(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean hasMore() {
            return at < bytes.length;
        }

        boolean broken() {
            return broken;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= bytes.length) {
                    broken = true;
                    return 0;
                }
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            broken = true;
            return 0;
        }

        /** A length prefix, or -1 (and broken) when it does not fit what is left. */
        int length() {
            long length = varint();
            if (broken || length > bytes.length - at) {
                broken = true;
                return -1;
            }
            return (int) length;
        }

        /** Skips the value of the field {@code tag} introduces (a group with all it holds, as protobuf nests them). */
        void skipField(long tag, int depth) {
            switch ((int) (tag & 7)) {
                case WireFormat.WIRETYPE_VARINT -> varint();
                case WireFormat.WIRETYPE_FIXED64 -> skip(8);
                case WireFormat.WIRETYPE_FIXED32 -> skip(4);
                case WireFormat.WIRETYPE_LENGTH_DELIMITED -> skip(length());
                case WireFormat.WIRETYPE_START_GROUP -> skipGroup(tag >>> 3, depth + 1);
                default -> broken = true; // an end without a start, or no wire type at all
            }
        }

        private void skipGroup(long fieldNumber, int depth) {
            if (depth > MAX_GROUP_DEPTH) {
                broken = true;
                return;
            }
            while (!broken) {
                if (!hasMore()) {
                    broken = true;
                    return;
                }
                long tag = varint();
                if (tag < 8) {
                    broken = true;
                } else if ((tag & 7) == WireFormat.WIRETYPE_END_GROUP) {
                    broken = tag >>> 3 != fieldNumber;
                    return;
                } else {
                    skipField(tag, depth);
                }
            }
        }

        boolean startsWith(int length, byte[] prefix) {
            return length >= prefix.length && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
        }

        void skip(int count) {
            if (count < 0 || count > bytes.length - at) {
                broken = true;
            } else {
                at += count;
            }
        }
    }
}
