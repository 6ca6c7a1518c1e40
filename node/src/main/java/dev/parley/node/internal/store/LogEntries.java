package dev.parley.node.internal.store;

import dev.parley.spi.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The retained entries of one memory topic log, oldest first, packed in arrays by field (in segments of
 * {@value #SEGMENT} entries, so that a growing log never copies what it holds): a timestamp, a sender,
 * and the payload followed by the idempotency key's characters, copied into a shared chunk of bytes. A log keeps every entry until retention trims it, and what it keeps the collector copies
 * (to a survivor space, then to the old generation): an {@link Envelope} with its payload and key
 * string was four objects per entry, here an entry is a few slots of arrays and bytes in a chunk that
 * thousands of entries share. An {@link Envelope} (with a copy of its payload) is made when one is
 * read. Not thread-safe: the log's lock guards it.
 */
final class LogEntries {
    static final int SEGMENT = 1024;
    private static final int SEGMENT_SHIFT = 10;
    private static final int FIRST_CAPACITY = 8;
    private static final int FIRST_CHUNK = 512;
    private static final int MAX_CHUNK = 256 * 1024;

    /** The fields of up to {@link #SEGMENT} entries; the first segment starts small and grows to that. */
    private static final class Segment {
        final String[] senders;
        final long[] timestamps;
        final byte[][] chunks; // the chunk holding each entry's payload and key
        final int[] offsets; // where the payload starts in its chunk; the key follows
        final int[] payloadLengths;
        final int[] keyCodes; // byte length of a Latin-1 key; ~(byte length) of a UTF-16 one

        Segment(int capacity) {
            senders = new String[capacity];
            timestamps = new long[capacity];
            chunks = new byte[capacity][];
            offsets = new int[capacity];
            payloadLengths = new int[capacity];
            keyCodes = new int[capacity];
        }

        Segment(Segment from, int capacity) {
            senders = Arrays.copyOf(from.senders, capacity);
            timestamps = Arrays.copyOf(from.timestamps, capacity);
            chunks = Arrays.copyOf(from.chunks, capacity);
            offsets = Arrays.copyOf(from.offsets, capacity);
            payloadLengths = Arrays.copyOf(from.payloadLengths, capacity);
            keyCodes = Arrays.copyOf(from.keyCodes, capacity);
        }

        int capacity() {
            return senders.length;
        }
    }

    private Segment[] segments = {new Segment(FIRST_CAPACITY)};
    private int segmentCount = 1;
    private int head; // slot of the oldest retained entry, counted from the first segment's first slot
    private int end;  // slot after the newest
    private byte[] chunk = new byte[0]; // where the next entries go; a full one is left to the entries in it
    private int chunkUsed;

    int size() {
        return end - head;
    }

    /** Adds an entry after the newest (its payload copied: the caller's array is not kept). */
    void add(long timestampNs, byte[] payload, String idempotencyKey, String senderInboxId) {
        Segment segment = segmentForNext();
        int slot = end & (SEGMENT - 1);
        int keyLength = idempotencyKey.length();
        boolean latin1 = true;
        for (int i = 0; i < keyLength && latin1; i++) {
            latin1 = idempotencyKey.charAt(i) <= 0xff;
        }
        int keyBytes = latin1 ? keyLength : 2 * keyLength;
        int at = reserve(payload.length + keyBytes);
        System.arraycopy(payload, 0, chunk, at, payload.length);
        writeKey(idempotencyKey, latin1, chunk, at + payload.length);
        segment.senders[slot] = senderInboxId;
        segment.timestamps[slot] = timestampNs;
        segment.chunks[slot] = chunk;
        segment.offsets[slot] = at;
        segment.payloadLengths[slot] = payload.length;
        segment.keyCodes[slot] = latin1 ? keyBytes : ~keyBytes;
        end++;
    }

    /** The entry {@code index} places after the oldest retained, as an envelope of {@code topic} at {@code sequence}. */
    Envelope envelope(String topic, long sequence, int index) {
        int at = head + index;
        Segment segment = segments[at >>> SEGMENT_SHIFT];
        int slot = at & (SEGMENT - 1);
        int from = segment.offsets[slot];
        byte[] payload = Arrays.copyOfRange(segment.chunks[slot], from, from + segment.payloadLengths[slot]);
        return new Envelope(topic, sequence, segment.timestamps[slot], payload, key(index), segment.senders[slot]);
    }

    String key(int index) {
        int at = head + index;
        Segment segment = segments[at >>> SEGMENT_SHIFT];
        int slot = at & (SEGMENT - 1);
        byte[] in = segment.chunks[slot];
        int from = segment.offsets[slot] + segment.payloadLengths[slot];
        int code = segment.keyCodes[slot];
        if (code >= 0) {
            return new String(in, from, code, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[~code / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ((in[from + 2 * i] & 0xff) << 8 | (in[from + 2 * i + 1] & 0xff));
        }
        return new String(chars);
    }

    long timestampNs(int index) {
        int at = head + index;
        return segments[at >>> SEGMENT_SHIFT].timestamps[at & (SEGMENT - 1)];
    }

    String senderInboxId(int index) {
        int at = head + index;
        return segments[at >>> SEGMENT_SHIFT].senders[at & (SEGMENT - 1)];
    }

    int payloadLength(int index) {
        int at = head + index;
        return segments[at >>> SEGMENT_SHIFT].payloadLengths[at & (SEGMENT - 1)];
    }

    /** Drops the oldest retained entry; a segment none of whose entries is retained goes. */
    void removeOldest() {
        Segment segment = segments[head >>> SEGMENT_SHIFT];
        int slot = head & (SEGMENT - 1);
        segment.senders[slot] = null;
        segment.chunks[slot] = null; // a chunk goes once none of its entries is retained
        head++;
        if (head == SEGMENT) { // the first segment is all trimmed (only a full one can be)
            System.arraycopy(segments, 1, segments, 0, segmentCount - 1);
            segments[--segmentCount] = null;
            head -= SEGMENT;
            end -= SEGMENT;
            if (segmentCount == 0) {
                segments[0] = new Segment(FIRST_CAPACITY);
                segmentCount = 1;
            }
        }
    }

    /** The segment where the next entry goes: the first one grown while it is the only one, else a new one when full. */
    private Segment segmentForNext() {
        int index = end >>> SEGMENT_SHIFT;
        if (index == segmentCount) {
            if (segmentCount == segments.length) {
                segments = Arrays.copyOf(segments, 2 * segments.length);
            }
            segments[segmentCount++] = new Segment(SEGMENT);
        }
        Segment segment = segments[index];
        int slot = end & (SEGMENT - 1);
        if (slot == segment.capacity()) { // only the first segment is ever smaller than SEGMENT
            segment = new Segment(segment, Math.min(SEGMENT, 2 * segment.capacity()));
            segments[index] = segment;
        }
        return segment;
    }

    /**
     * Where {@code bytes} more go in the current chunk, after starting a new one when they do not fit.
     * Chunks grow from small (a quiet topic costs little) to {@link #MAX_CHUNK}; an entry larger than a
     * quarter of that gets a chunk of its own size.
     */
    private int reserve(int bytes) {
        if (chunk.length - chunkUsed < bytes) {
            int next = Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, 2 * chunk.length));
            chunk = new byte[bytes > next / 4 ? bytes : next];
            chunkUsed = 0;
        }
        int at = chunkUsed;
        chunkUsed += bytes;
        return at;
    }

    /** The key's characters, one byte each when all are Latin-1, else two (big-endian), so any string comes back equal. */
    private static void writeKey(String key, boolean latin1, byte[] to, int at) {
        int length = key.length();
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (latin1) {
                to[at + i] = (byte) c;
            } else {
                to[at + 2 * i] = (byte) (c >>> 8);
                to[at + 2 * i + 1] = (byte) c;
            }
        }
    }
}
