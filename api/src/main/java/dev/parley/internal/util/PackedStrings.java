package dev.parley.internal.util;

import java.nio.charset.StandardCharsets;

/**
 * Strings kept as bytes in chunks that many strings share, so that what a long-lived table keeps per
 * string is a few array slots, not a {@code String} and its array (the collector copies every object
 * a table keeps, to a survivor space and then to the old generation). A string is one byte per
 * character when all its characters are Latin-1, else two (big-endian), so any string comes back
 * equal. Chunks grow from small (a table that holds little costs little) to {@value #MAX_CHUNK}
 * bytes; a string larger than that gets a chunk of its own, which this object does not keep, so it
 * goes with the string. A full chunk is left to the strings in it and goes when the table lets go of
 * all of them.
 *
 * <p>A string is written with {@link #pack}, which gives the chunk it went to, and read back with
 * {@link #read} from that chunk, the offset {@link #packedAt()} and the {@link #code}. Not
 * thread-safe: the table's lock guards it.
 */
public final class PackedStrings {
    private static final int FIRST_CHUNK = 32;
    private static final int MAX_CHUNK = 16 * 1024;

    private byte[] chunk = new byte[0];
    private int used;
    private int packedAt; // offset of the last string packed, in the chunk pack returned

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
    private static int byteLength(int code) {
        return code >= 0 ? code : ~code;
    }

    /**
     * Packs {@code text}, of {@code code}, after the strings packed before it (in a new chunk when it
     * does not fit; in one of its own when it is larger than a chunk), and returns the chunk it is in;
     * {@link #packedAt()} says where.
     */
    public byte[] pack(String text, int code) {
        int bytes = byteLength(code);
        byte[] to;
        if (bytes > MAX_CHUNK) {
            to = new byte[bytes];
            packedAt = 0;
        } else {
            if (chunk.length - used < bytes) {
                chunk = new byte[Math.min(MAX_CHUNK, Math.max(bytes, Math.max(FIRST_CHUNK, 2 * chunk.length)))];
                used = 0;
            }
            to = chunk;
            packedAt = used;
            used += bytes;
        }
        write(text, code >= 0, to, packedAt);
        return to;
    }

    /** Where in its chunk the last string {@link #pack} packed starts. */
    public int packedAt() {
        return packedAt;
    }

    @SuppressWarnings("deprecation") // getBytes keeps each char's low byte: the char itself, as none is above 0xff
    private static void write(String text, boolean latin1, byte[] to, int at) {
        int length = text.length();
        if (latin1) {
            text.getBytes(0, length, to, at); // a copy of a Latin-1 string's bytes, not a loop of charAt
            return;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            to[at + 2 * i] = (byte) (c >>> 8);
            to[at + 2 * i + 1] = (byte) c;
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
