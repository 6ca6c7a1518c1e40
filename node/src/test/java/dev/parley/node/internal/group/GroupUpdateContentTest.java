package dev.parley.node.internal.group;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.parley.protocol.GroupUpdate;
import dev.parley.protocol.MessagePayload;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GroupUpdateContentTest {
    private static final byte[] TEXT = MessagePayload.newBuilder().setContentType("parley.dev/text:1.0")
            .setContent(ByteString.copyFromUtf8("hello")).build().toByteArray();
    private static final byte[] UPDATE = GroupUpdateContent.payload(GroupUpdate.newBuilder()
            .setInitiatedByInboxId("a").addAddedInboxIds("b").build());

    @Test
    void spotsTheGroupUpdateContentTypeOfAnyVersionAndNothingElse() {
        assertThat(GroupUpdateContent.isGroupUpdate(UPDATE)).isTrue();
        assertThat(GroupUpdateContent.isGroupUpdate(payload("parley.dev/group_updated:2.7"))).isTrue();
        assertThat(GroupUpdateContent.isGroupUpdate(TEXT)).isFalse();
        assertThat(GroupUpdateContent.isGroupUpdate(payload("parley.dev/group_updated"))).isFalse();
        assertThat(GroupUpdateContent.isGroupUpdate(payload("xparley.dev/group_updated:1.0"))).isFalse();
        assertThat(GroupUpdateContent.isGroupUpdate(new byte[0])).isFalse();
    }

    @Test
    void aContentTypeFieldHiddenAfterAnotherIsStillSeen() {
        byte[] both = concat(TEXT, payload("parley.dev/group_updated:1.0"));
        assertThat(GroupUpdateContent.isGroupUpdate(both)).isTrue();
    }

    @Test
    void readsLikeProtobufDoesOnMutatedAndRandomBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = (random.nextBoolean() ? UPDATE : TEXT).clone();
            int mutations = random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            if (random.nextInt(8) == 0) {
                bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
            }
            assertThat(GroupUpdateContent.isGroupUpdate(bytes)).as(java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(withProtobufsReader(bytes));
        }
    }

    /** The same question asked through protobuf's own reader. */
    private static boolean withProtobufsReader(byte[] payload) {
        CodedInputStream in = CodedInputStream.newInstance(payload);
        byte[] prefix = "parley.dev/group_updated:".getBytes(StandardCharsets.UTF_8);
        int contentTypeTag = MessagePayload.CONTENT_TYPE_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        boolean found = false;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == contentTypeTag) {
                    byte[] type = in.readByteArray();
                    found |= type.length >= prefix.length && java.util.Arrays.equals(type, 0, prefix.length, prefix, 0, prefix.length);
                } else if (!in.skipField(tag)) {
                    return found;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return found;
    }

    private static byte[] payload(String contentType) {
        return MessagePayload.newBuilder().setContentType(contentType).build().toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
