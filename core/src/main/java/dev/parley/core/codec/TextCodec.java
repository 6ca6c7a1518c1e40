package dev.parley.core.codec;

import dev.parley.ContentCodec;
import dev.parley.ContentTypeId;
import dev.parley.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code parley.dev/text:1.0}: UTF-8 text; invalid UTF-8 is a {@link ProtocolException}, not mojibake.
 * Text has no fallback (every client decodes it, as XMTP's text codec), so its content goes on the
 * wire and into every store once.
 */
public final class TextCodec implements ContentCodec<String>, RangeDecoder<String> {
    private static final char REPLACEMENT = '\uFFFD';

    @Override
    public ContentTypeId contentType() {
        return ContentTypeId.TEXT;
    }

    @Override
    public byte[] encode(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * The JDK's own decoding first (ASCII is one vectorised check and one copy): it replaces malformed
     * input with U+FFFD, so a result without one came from valid UTF-8 and equals the strict decoding;
     * only text holding a U+FFFD (sent, or replaced) is decoded again strictly, to tell the two apart.
     */
    @Override
    public String decode(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        return text.indexOf(REPLACEMENT) < 0 ? text : strict(bytes, offset, length);
    }

    private static String strict(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("text content is not valid UTF-8", e);
        }
    }
}
