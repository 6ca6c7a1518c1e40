package dev.parley.node.internal.group;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.parley.ContentTypeId;
import dev.parley.protocol.GroupUpdate;
import dev.parley.protocol.MessagePayload;

import java.io.IOException;

/** The content type only the node writes ({@link ContentTypeId#GROUP_UPDATED}): building it, and spotting it in what a client sends. */
public final class GroupUpdateContent {
    private static final String GROUP_UPDATED = ContentTypeId.GROUP_UPDATED.toString();
    /** Any version of it. */
    private static final String ANY_VERSION = ContentTypeId.GROUP_UPDATED.authorityId() + "/"
            + ContentTypeId.GROUP_UPDATED.typeId() + ":";
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
     * (any version). Reads only its content type fields (every one: the last wins in protobuf) and skips
     * the rest; a payload that is not a MessagePayload is not one.
     */
    public static boolean isGroupUpdate(byte[] payload) {
        CodedInputStream in = CodedInputStream.newInstance(payload);
        boolean found = false;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == CONTENT_TYPE_TAG) {
                    found |= in.readStringRequireUtf8().startsWith(ANY_VERSION);
                } else if (!in.skipField(tag)) {
                    return found;
                }
            }
        } catch (IOException e) {
            return false; // not a MessagePayload: what it is, is the clients' business
        }
        return found;
    }
}
