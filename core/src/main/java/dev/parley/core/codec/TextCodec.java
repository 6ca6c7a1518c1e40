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
public final class TextCodec implements ContentCodec<String> {
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
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII); // most text: one copy, no decoder
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("text content is not valid UTF-8", e);
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
