package dev.parley.core.conversation;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.parley.protocol.MessagePayload;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PayloadFields} against the generated parser (the reference) on made-up and damaged payloads. */
class PayloadFieldsTest {
    private static final byte[] TEXT_TYPE = "parley.dev/text:1.0".getBytes(StandardCharsets.UTF_8);
    private static final String[] TEXTS = {"", "parley.dev/text:1.0", "x.org/y:2.1", "grüße", "日本", "🎉"};

    @Test
    void randomPayloadsReadAsTheGeneratedParserReadsThem() throws IOException {
        Random random = new Random(14);
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] payload = damaged(random, made(random));
            refused += sameAsReference(payload) ? 0 : 1;
        }
        assertThat(refused).as("damaged payloads refused by both").isBetween(1_000, 19_000);
    }

    @Test
    void aWellFormedPayloadGivesItsFields() throws IOException {
        byte[] payload = MessagePayload.newBuilder().setContentType("parley.dev/text:1.0")
                .setContent(ByteString.copyFromUtf8("hello")).setFallback("fb").build().toByteArray();
        PayloadFields fields = PayloadFields.read(payload, null);
        assertThat(fields.type()).isEqualTo("parley.dev/text:1.0");
        assertThat(fields.typeIs(TEXT_TYPE)).isTrue();
        assertThat(new String(fields.bytes, fields.contentAt, fields.contentLength, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(fields.fallbackOrNull()).isEqualTo("fb");
        assertThat(PayloadFields.read(MessagePayload.getDefaultInstance().toByteArray(), TEXT_TYPE).fallbackOrNull()).isNull();
    }

    @Test
    void invalidUtf8InAnOverwrittenContentTypeIsRefusedAsByTheGeneratedParser() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(MessagePayload.CONTENT_TYPE_FIELD_NUMBER, new byte[] {'a', (byte) 0xC3});
        out.writeByteArray(MessagePayload.CONTENT_TYPE_FIELD_NUMBER, TEXT_TYPE);
        out.flush();
        assertThat(sameAsReference(bytes.toByteArray())).as("refused").isFalse();
    }

    @Test
    void unknownGroupsNestedDeeplyAsTheGeneratedParser() throws IOException {
        for (int depth : new int[] {1, 50, 99, 100, 101, 200}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeString(MessagePayload.CONTENT_TYPE_FIELD_NUMBER, "parley.dev/text:1.0");
            for (int i = 0; i < depth; i++) {
                out.writeTag(9, WireFormat.WIRETYPE_START_GROUP);
            }
            for (int i = 0; i < depth; i++) {
                out.writeTag(9, WireFormat.WIRETYPE_END_GROUP);
            }
            out.writeString(MessagePayload.FALLBACK_FIELD_NUMBER, "after");
            out.flush();
            sameAsReference(bytes.toByteArray());
        }
    }

    /** Asserts both read {@code payload} alike; returns whether they accepted it. */
    private static boolean sameAsReference(byte[] payload) {
        MessagePayload reference;
        try {
            CodedInputStream in = CodedInputStream.newInstance(payload);
            in.enableAliasing(true);
            reference = MessagePayload.parser().parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            reference = null;
        }
        for (byte[] validType : new byte[][] {null, TEXT_TYPE}) {
            PayloadFields fields;
            try {
                fields = PayloadFields.read(payload, validType);
            } catch (InvalidProtocolBufferException e) {
                fields = null;
            }
            String what = Arrays.toString(payload);
            if (reference == null) {
                assertThat(fields).as("refused by the generated parser: " + what).isNull();
                continue;
            }
            assertThat(fields).as("accepted by the generated parser: " + what).isNotNull();
            assertThat(fields.type()).as(what).isEqualTo(reference.getContentType());
            assertThat(fields.contentCopy()).as(what).isEqualTo(reference.getContent().toByteArray());
            assertThat(fields.fallbackOrNull()).as(what)
                    .isEqualTo(reference.getFallback().isEmpty() ? null : reference.getFallback());
        }
        return reference != null;
    }

    /** A payload of random known and unknown fields, in any order, some repeated. */
    private static byte[] made(Random random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int fields = random.nextInt(6); fields > 0; fields--) {
            switch (random.nextInt(9)) {
                case 0 -> out.writeByteArray(MessagePayload.CONTENT_TYPE_FIELD_NUMBER, text(random));
                case 1 -> out.writeByteArray(MessagePayload.CONTENT_FIELD_NUMBER, randomBytes(random));
                case 2 -> out.writeByteArray(MessagePayload.FALLBACK_FIELD_NUMBER, text(random));
                case 3 -> out.writeUInt64(1 + random.nextInt(3), random.nextLong()); // a known number, wrong wire type
                case 4 -> out.writeFixed32(4 + random.nextInt(100), random.nextInt());
                case 5 -> out.writeFixed64(4 + random.nextInt(100), random.nextLong());
                case 6 -> out.writeByteArray(4 + random.nextInt(100), randomBytes(random));
                case 7 -> {
                    int number = 4 + random.nextInt(5);
                    out.writeTag(number, WireFormat.WIRETYPE_START_GROUP);
                    out.writeUInt32(1, random.nextInt());
                    out.writeTag(random.nextInt(4) == 0 ? number + 1 : number, WireFormat.WIRETYPE_END_GROUP);
                }
                default -> out.writeTag(1 + random.nextInt(8), WireFormat.WIRETYPE_END_GROUP); // a stray end
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Often unchanged; else truncated, a byte changed, or random bytes appended. */
    private static byte[] damaged(Random random, byte[] payload) {
        int how = random.nextInt(5);
        if (how <= 1 || payload.length == 0) {
            return payload;
        }
        if (how == 2) {
            return Arrays.copyOf(payload, random.nextInt(payload.length));
        }
        if (how == 3) {
            byte[] changed = payload.clone();
            changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
            return changed;
        }
        byte[] longer = Arrays.copyOf(payload, payload.length + 1 + random.nextInt(4));
        for (int i = payload.length; i < longer.length; i++) {
            longer[i] = (byte) random.nextInt(256);
        }
        return longer;
    }

    /** Valid UTF-8 text, or (one time in four) bytes that may not be. */
    private static byte[] text(Random random) {
        return random.nextInt(4) == 0 ? randomBytes(random)
                : TEXTS[random.nextInt(TEXTS.length)].getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
        return bytes;
    }
}
