package dev.parley.internal.util;

import java.nio.charset.StandardCharsets;

/**
 * Strings kept as bytes in chunks that many strings share, so that what a long-lived table keeps per
 * string is a few array slots, not a {@code String} and its array (the collector copies every object
 * a table keeps, to a survivor space and then to the old generation). A string is one byte per
 * character when all its characters are Latin-1, else two (big-endian), so any string comes back
 * equal. Chunks grow from small (a table that holds little costs little) to {@value #MAX_CHUNK}
 * bytes, or to one string's size when it is larger; a full chunk is left to the strings in it and
 * goes when the table lets go of all of them.
 *
 * <p>A string is written with {@link #reserve} and {@link #write} and read back with {@link #read}
 * from the chunk {@link #chunk()} returned right after the reservation, the offset, and the
 * {@link #code}. Not thread-safe: the table's lock guards it.
 */
public final class PackedStrings {
    private static final int FIRST_CHUNK = 32;
    private static final int MAX_CHUNK = 16 * 1024;

    private byte[] chunk = new byte[0];
    private int used;

    /** What {@link #read} needs beside chunk and offset: the byte length of a Latin-1 string, ~(byte length) of another. */
    public static int code(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) > 0xff) {
                return ~(2 * length);
            }
        }
        return length;
    }

    /** The bytes a string of this {@link #code} takes. */
    public static int byteLength(int code) {
        return code >= 0 ? code : ~code;
    }

    /** Where {@code bytes} more go in {@link #chunk()}, after starting a new chunk when they do not fit. */
    public int reserve(int bytes) {
        if (chunk.length - used < bytes) {
            chunk = new byte[Math.max(bytes, Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, 2 * chunk.length)))];
            used = 0;
        }
        int at = used;
        used += bytes;
        return at;
    }

    /** The chunk of the last {@link #reserve}. */
    public byte[] chunk() {
        return chunk;
    }

    /** Packs {@code text}, of {@code code}, at {@code at} of the last reserved chunk. */
    public void write(String text, int code, int at) {
        byte[] to = chunk;
        int length = text.length();
        boolean latin1 = code >= 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (latin1) {
                to[at + i] = (byte) c;
            } else {
                to[at + 2 * i] = (byte) (c >>> 8);
                to[at + 2 * i + 1] = (byte) c;
            }
        }
    }

    /** The string packed at {@code at} of {@code chunk} with {@code code}. */
    public static String read(byte[] chunk, int at, int code) {
        if (code >= 0) {
            return new String(chunk, at, code, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[~code / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ((chunk[at + 2 * i] & 0xff) << 8 | (chunk[at + 2 * i + 1] & 0xff));
        }
        return new String(chars);
    }
}
