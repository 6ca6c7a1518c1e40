package dev.parley.node.internal.store;

import dev.parley.spi.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The retained entries of one memory topic log, oldest first, packed in arrays by field: a timestamp,
 * a sender, and the payload followed by the idempotency key's characters, copied into a shared chunk
 * of bytes. A log keeps every entry until retention trims it, and what it keeps the collector copies
 * (to a survivor space, then to the old generation): an {@link Envelope} with its payload and key
 * string was four objects per entry, here an entry is a few slots of arrays and bytes in a chunk that
 * thousands of entries share. An {@link Envelope} (with a copy of its payload) is made when one is
 * read. Not thread-safe: the log's lock guards it.
 */
final class LogEntries {
    private static final int INITIAL_CAPACITY = 8;
    private static final int FIRST_CHUNK = 512;
    private static final int MAX_CHUNK = 256 * 1024;

    private String[] senders = new String[INITIAL_CAPACITY];
    private long[] timestamps = new long[INITIAL_CAPACITY];
    private byte[][] chunks = new byte[INITIAL_CAPACITY][]; // the chunk holding each entry's payload and key
    private int[] offsets = new int[INITIAL_CAPACITY]; // where the payload starts in its chunk; the key follows
    private int[] payloadLengths = new int[INITIAL_CAPACITY];
    private int[] keyCodes = new int[INITIAL_CAPACITY]; // byte length of a Latin-1 key; ~(byte length) of a UTF-16 one
    private int head; // physical index of the oldest retained entry
    private int end;  // physical index after the newest
    private byte[] chunk = new byte[0]; // where the next entries go; a full one is left to the entries in it
    private int chunkUsed;

    int size() {
        return end - head;
    }

    /** Adds an entry after the newest (its payload copied: the caller's array is not kept). */
    void add(long timestampNs, byte[] payload, String idempotencyKey, String senderInboxId) {
        if (end == senders.length) {
            makeRoom();
        }
        int keyLength = idempotencyKey.length();
        boolean latin1 = true;
        for (int i = 0; i < keyLength && latin1; i++) {
            latin1 = idempotencyKey.charAt(i) <= 0xff;
        }
        int keyBytes = latin1 ? keyLength : 2 * keyLength;
        int at = reserve(payload.length + keyBytes);
        System.arraycopy(payload, 0, chunk, at, payload.length);
        writeKey(idempotencyKey, latin1, chunk, at + payload.length);
        senders[end] = senderInboxId;
        timestamps[end] = timestampNs;
        chunks[end] = chunk;
        offsets[end] = at;
        payloadLengths[end] = payload.length;
        keyCodes[end] = latin1 ? keyBytes : ~keyBytes;
        end++;
    }

    /** The entry {@code index} places after the oldest retained, as an envelope of {@code topic} at {@code sequence}. */
    Envelope envelope(String topic, long sequence, int index) {
        int at = head + index;
        int from = offsets[at];
        byte[] payload = Arrays.copyOfRange(chunks[at], from, from + payloadLengths[at]);
        return new Envelope(topic, sequence, timestamps[at], payload, key(index), senders[at]);
    }

    String key(int index) {
        int at = head + index;
        byte[] in = chunks[at];
        int from = offsets[at] + payloadLengths[at];
        int code = keyCodes[at];
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
        return timestamps[head + index];
    }

    String senderInboxId(int index) {
        return senders[head + index];
    }

    int payloadLength(int index) {
        return payloadLengths[head + index];
    }

    /** Drops the oldest retained entry. */
    void removeOldest() {
        senders[head] = null;
        chunks[head] = null; // a chunk goes once none of its entries is retained
        head++;
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

    /** Moves the retained entries to the front when at least half the arrays is trimmed space, else doubles them. */
    private void makeRoom() {
        int size = size();
        if (head > 0 && size <= senders.length / 2) {
            shift(senders, size);
            shift(chunks, size);
            System.arraycopy(timestamps, head, timestamps, 0, size);
            System.arraycopy(offsets, head, offsets, 0, size);
            System.arraycopy(payloadLengths, head, payloadLengths, 0, size);
            System.arraycopy(keyCodes, head, keyCodes, 0, size);
            head = 0;
            end = size;
            return;
        }
        int capacity = 2 * senders.length;
        senders = Arrays.copyOf(senders, capacity);
        chunks = Arrays.copyOf(chunks, capacity);
        timestamps = Arrays.copyOf(timestamps, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        payloadLengths = Arrays.copyOf(payloadLengths, capacity);
        keyCodes = Arrays.copyOf(keyCodes, capacity);
    }

    private void shift(Object[] array, int size) {
        System.arraycopy(array, head, array, 0, size);
        Arrays.fill(array, size, end, null);
    }
}
