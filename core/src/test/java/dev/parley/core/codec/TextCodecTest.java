package dev.parley.core.codec;

import dev.parley.ProtocolException;
import org.junit.jupiter.api.Test;

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
}
