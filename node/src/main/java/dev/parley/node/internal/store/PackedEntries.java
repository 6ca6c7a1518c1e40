package dev.parley.node.internal.store;

import dev.parley.internal.util.PackedStrings;
import dev.parley.spi.Envelope;

import java.util.Arrays;

/**
 * The retained entries of one memory topic log, oldest first, their small fields packed in arrays by
 * field (in segments of {@value #SEGMENT} entries, so that a growing log never copies what it holds):
 * timestamp, sender, the idempotency key's hash tag, and the key's characters in a chunk of bytes that
 * many entries share ({@link PackedStrings}). The payload array is kept as given, by reference and never copied: the node
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

    /** The fields of up to {@link #SEGMENT} entries; the first segment starts small and grows to that. */
    private static final class Segment {
        final long[] timestamps;
        final byte[][] payloads;
        final String[] senders;
        final byte[][] keyChunks; // the chunk holding each entry's key
        final int[] keyOffsets; // where the key starts in its chunk
        final int[] keyCodes; // PackedStrings.code of the key
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
    private PackedStrings keys = new PackedStrings();

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
        int keyCode = PackedStrings.code(idempotencyKey);
        byte[] keyChunk = keys.pack(idempotencyKey, keyCode);
        segment.timestamps[slot] = timestampNs;
        segment.payloads[slot] = payload;
        segment.senders[slot] = senderInboxId;
        segment.keyChunks[slot] = keyChunk;
        segment.keyOffsets[slot] = keys.packedAt();
        segment.keyCodes[slot] = keyCode;
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
        return PackedStrings.read(segment.keyChunks[slot], segment.keyOffsets[slot], segment.keyCodes[slot]);
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
            keys = new PackedStrings();
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
}
