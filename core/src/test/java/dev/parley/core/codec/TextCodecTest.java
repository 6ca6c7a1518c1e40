package dev.parley.core.codec;

import dev.parley.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextCodecTest {
    private final TextCodec codec = new TextCodec();

    @Test
    void asciiAndOtherUtf8TextComeBackAsSent() {
        for (String text : new String[] {"", "hello", "grüße", "日本語", "emoji 🎉 at the end 🎉", "mixed ascii then é"}) {
            assertThat(codec.decode(codec.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void invalidUtf8IsAProtocolErrorNotReplacementCharacters() {
        assertThatThrownBy(() -> codec.decode(new byte[] {'a', (byte) 0xC3})).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xFF, 'a'})).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) // a lone surrogate
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aSentReplacementCharacterIsText() {
        assertThat(codec.decode("a\uFFFDb".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\uFFFDb");
    }

    @Test
    void randomBytesDecodeAsTheStrictDecoderDecodesThem() {
        Random random = new Random(14);
        byte[][] pieces = {{'a'}, {'z', ' '}, {(byte) 0xC3, (byte) 0xBC}, {(byte) 0xE6, (byte) 0x97, (byte) 0xA5},
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x8E, (byte) 0x89}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}, {(byte) 0xFF}};
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = textLike(random, pieces);
            int offset = random.nextInt(3);
            byte[] around = concat(concat(new byte[offset], bytes), new byte[random.nextInt(3)]);
            String expected = strict(bytes);
            if (expected == null) {
                assertThatThrownBy(() -> codec.decode(bytes)).as(Arrays.toString(bytes)).isInstanceOf(ProtocolException.class);
                assertThatThrownBy(() -> codec.decode(around, offset, bytes.length)).isInstanceOf(ProtocolException.class);
            } else {
                assertThat(codec.decode(bytes)).as(Arrays.toString(bytes)).isEqualTo(expected);
                assertThat(codec.decode(around, offset, bytes.length)).isEqualTo(expected);
            }
        }
    }

    /** Pieces of valid and invalid UTF-8, some cut short, and single random bytes, joined. */
    private static byte[] textLike(Random random, byte[][] pieces) {
        byte[] bytes = new byte[0];
        for (int count = random.nextInt(8); count > 0; count--) {
            byte[] piece = random.nextInt(6) == 0 ? new byte[] {(byte) random.nextInt(256)}
                    : pieces[random.nextInt(pieces.length)];
            bytes = concat(bytes, random.nextInt(8) == 0 ? Arrays.copyOf(piece, piece.length - 1) : piece);
        }
        return bytes;
    }

    /** The decoding this codec always had: the JDK's decoder, reporting malformed input. */
    private static String strict(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
