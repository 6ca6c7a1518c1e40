package dev.parley.internal.util;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Bytes to sign or MAC: a context, then each field preceded by its length (4 bytes, big-endian), so no two field lists give the same bytes. */
public final class LengthPrefixed {
    private LengthPrefixed() {
    }

    public static byte[] encode(byte[] context, byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(context);
        for (byte[] field : fields) {
            Objects.requireNonNull(field, "field");
            out.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
            out.writeBytes(field);
        }
        return out.toByteArray();
    }
}
