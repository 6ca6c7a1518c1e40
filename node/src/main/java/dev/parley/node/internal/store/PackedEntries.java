package dev.parley.node.internal.store;

import dev.parley.spi.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The retained entries of one memory topic log, oldest first, their small fields packed in arrays by
 * field (in segments of {@value #SEGMENT} entries, so that a growing log never copies what it holds):
 * timestamp, sender, the idempotency key's hash tag, and the key's characters in a chunk of bytes that
 * many entries share. The payload array is kept as given, by reference and never copied: the node
 * writes one payload to many topics (a group's welcomes to every member's topic), and each topic must
 * hold that one array, not a copy of it. A log keeps every entry until retention trims it, and the
 * collector copies what it keeps (to a survivor space, then to the old generation): an {@link Envelope}
 * with its key string was three objects per entry beside the payload, here it is a few slots of arrays
 * and bytes of a chunk. An {@link Envelope} is made when an entry is read (its payload the stored
 * array, as before). Not thread-safe: the log's lock guards it.
 */
final class PackedEntries {
    static final int SEGMENT = 1024;
    private static final int SEGMENT_SHIFT = 10;
    private static final int FIRST_CAPACITY = 1;
    private static final int FIRST_CHUNK = 32;
    private static final int MAX_CHUNK = 16 * 1024;

    /** The fields of up to {@link #SEGMENT} entries; the first segment starts small and grows to that. */
    private static final class Segment {
        final long[] timestamps;
        final byte[][] payloads;
        final String[] senders;
        final byte[][] keyChunks; // the chunk holding each entry's key
        final int[] keyOffsets; // where the key starts in its chunk
        final int[] keyCodes; // byte length of a Latin-1 key; ~(byte length) of a UTF-16 one
        final int[] keyTags; // the high 32 bits of the key's hash in the log's index

        Segment(int capacity) {
            timestamps = new long[capacity];
            payloads = new byte[capacity][];
            senders = new String[capacity];
            keyChunks = new byte[capacity][];
            keyOffsets = new int[capacity];
            keyCodes = new int[capacity];
            keyTags = new int[capacity];
        }

        Segment(Segment from, int capacity) {
            timestamps = Arrays.copyOf(from.timestamps, capacity);
            payloads = Arrays.copyOf(from.payloads, capacity);
            senders = Arrays.copyOf(from.senders, capacity);
            keyChunks = Arrays.copyOf(from.keyChunks, capacity);
            keyOffsets = Arrays.copyOf(from.keyOffsets, capacity);
            keyCodes = Arrays.copyOf(from.keyCodes, capacity);
            keyTags = Arrays.copyOf(from.keyTags, capacity);
        }

        int capacity() {
            return timestamps.length;
        }
    }

    private Segment[] segments = {new Segment(FIRST_CAPACITY)};
    private int segmentCount = 1;
    private int head; // slot of the oldest retained entry, counted from the first segment's first slot
    private int end;  // slot after the newest
    private byte[] chunk = new byte[0]; // where the next keys go; a full one is left to the entries in it
    private int chunkUsed;

    int size() {
        return end - head;
    }

    /**
     * Adds an entry after the newest. {@code payload} is kept as it is (not copied); {@code keyTag} is
     * what {@link #keyTag} gives back.
     */
    void add(long timestampNs, byte[] payload, String idempotencyKey, int keyTag, String senderInboxId) {
        Segment segment = segmentForNext();
        int slot = end & (SEGMENT - 1);
        int keyLength = idempotencyKey.length();
        boolean latin1 = true;
        for (int i = 0; i < keyLength && latin1; i++) {
            latin1 = idempotencyKey.charAt(i) <= 0xff;
        }
        int keyBytes = latin1 ? keyLength : 2 * keyLength;
        int at = reserve(keyBytes);
        writeKey(idempotencyKey, latin1, chunk, at);
        segment.timestamps[slot] = timestampNs;
        segment.payloads[slot] = payload;
        segment.senders[slot] = senderInboxId;
        segment.keyChunks[slot] = chunk;
        segment.keyOffsets[slot] = at;
        segment.keyCodes[slot] = latin1 ? keyBytes : ~keyBytes;
        segment.keyTags[slot] = keyTag;
        end++;
    }

    /** The entry {@code index} places after the oldest retained, as an envelope of {@code topic} at {@code sequence}. */
    Envelope envelope(String topic, long sequence, int index) {
        int at = head + index;
        Segment segment = segments[at >>> SEGMENT_SHIFT];
        int slot = at & (SEGMENT - 1);
        return new Envelope(topic, sequence, segment.timestamps[slot], segment.payloads[slot], key(index),
                segment.senders[slot]);
    }

    String key(int index) {
        int at = head + index;
        Segment segment = segments[at >>> SEGMENT_SHIFT];
        int slot = at & (SEGMENT - 1);
        byte[] in = segment.keyChunks[slot];
        int from = segment.keyOffsets[slot];
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

    int keyTag(int index) {
        int at = head + index;
        return segments[at >>> SEGMENT_SHIFT].keyTags[at & (SEGMENT - 1)];
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
        return segments[at >>> SEGMENT_SHIFT].payloads[at & (SEGMENT - 1)].length;
    }

    /** Drops the oldest retained entry; a segment none of whose entries is retained goes, and so do all when none is. */
    void removeOldest() {
        Segment segment = segments[head >>> SEGMENT_SHIFT];
        int slot = head & (SEGMENT - 1);
        segment.payloads[slot] = null;
        segment.senders[slot] = null;
        segment.keyChunks[slot] = null; // a chunk goes once none of its entries is retained
        head++;
        if (head == end) { // nothing retained: start again small, as a new log
            segments = new Segment[] {new Segment(FIRST_CAPACITY)};
            segmentCount = 1;
            head = 0;
            end = 0;
            chunk = new byte[0];
            chunkUsed = 0;
        } else if (head == SEGMENT) { // the first segment is all trimmed (only a full one can be)
            System.arraycopy(segments, 1, segments, 0, segmentCount - 1);
            segments[--segmentCount] = null;
            head -= SEGMENT;
            end -= SEGMENT;
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
     * Chunks grow from small (a quiet topic costs little) to {@link #MAX_CHUNK}, or to the key's size
     * when it is larger.
     */
    private int reserve(int bytes) {
        if (chunk.length - chunkUsed < bytes) {
            chunk = new byte[Math.max(bytes, Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, 2 * chunk.length)))];
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
