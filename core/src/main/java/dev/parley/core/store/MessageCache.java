package dev.parley.core.store;

import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import dev.parley.internal.util.PackedStrings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The latest messages of one conversation, at most {@code cap}, by sequence. Beyond the cap the
 * oldest go; a message at or below what was dropped is not stored again (a late duplicate would
 * only be dropped once more).
 *
 * <p>A ring sorted by sequence: a stream adds in order, which appends (and drops the oldest at the
 * cap) in constant time; a sync page arriving after newer messages is inserted in place. The ring
 * starts small and grows to {@code cap}, so quiet conversations cost little.
 *
 * <p>Messages are kept packed, not as the {@link DecodedMessage}s given: a client with many busy
 * conversations keeps up to {@code cap} messages of each for seconds or minutes, and the collector
 * copied each kept message's five objects (the record, its id and text with their arrays) to a
 * survivor space and then to the old generation: with 100 busy conversations, most of the collector's
 * time. Here a message is slots of three arrays: sequence, time and a hexadecimal id's 16
 * bytes as longs; a text's characters in a chunk many messages share ({@link PackedStrings}); the
 * sender and content type as references, shared with the newer message when equal (each message
 * arrives with strings of its own). What is not packed (another id, other content, a fallback) is kept
 * as given. {@link #all} makes the records again, equal to those given. Not thread-safe.
 */
final class MessageCache {
    private static final int INITIAL_CAPACITY = 4;
    private static final int ID_HEX_DIGITS = 32;
    private static final int NOT_PACKED = Integer.MIN_VALUE; // a text code is never this (~ of an even length)
    // per message: longs, ints and references, at stride times its ring slot
    private static final int LONGS = 4;
    private static final int SEQUENCE = 0;
    private static final int SENT_AT = 1;
    private static final int ID_HIGH = 2;
    private static final int ID_LOW = 3;
    private static final int INTS = 2;
    private static final int TEXT_AT = 0;
    private static final int TEXT_CODE = 1;
    private static final int REFS = 5;
    private static final int SENDER = 0;
    private static final int TYPE = 1;
    private static final int CONTENT = 2; // the chunk of a packed text, else the content
    private static final int FALLBACK = 3;
    private static final int ID = 4; // PACKED_ID when the id is in the longs, else the id as given
    private static final Object PACKED_ID = new Object();
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HEX_VALUES = hexValues();

    private final String conversationId;
    private final int cap;
    private final PackedStrings texts = new PackedStrings();
    private long[] longs;
    private int[] ints;
    private Object[] refs;
    private int head; // ring slot of the oldest
    private int size;
    private long droppedUpTo; // highest sequence of the current history dropped from the cache

    MessageCache(String conversationId, int cap) {
        this.conversationId = conversationId;
        this.cap = cap;
        int capacity = Math.min(cap, INITIAL_CAPACITY);
        longs = new long[capacity * LONGS];
        ints = new int[capacity * INTS];
        refs = new Object[capacity * REFS];
    }

    /** Keeps {@code message} (of this cache's conversation) at {@code sequence}; false when it is not kept. */
    boolean put(DecodedMessage message, long sequence) {
        if (sequence <= droppedUpTo) {
            return false;
        }
        int at = size == 0 || sequence > sequenceAt(size - 1) ? size : search(sequence);
        if (at < 0) {
            return false; // already cached
        }
        if (size == cap) {
            if (at == 0) {
                droppedUpTo = sequence; // older than everything kept: it would be the one to go
                return false;
            }
            dropOldest();
            at--;
        } else if (size == capacity()) {
            grow();
        }
        insert(at, sequence, message);
        return true;
    }

    List<DecodedMessage> all() {
        List<DecodedMessage> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(message(slot(i)));
        }
        return Collections.unmodifiableList(all);
    }

    /** The logical index where {@code sequence} goes, or -1 when it is already there. */
    private int search(long sequence) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long found = sequenceAt(middle);
            if (found < sequence) {
                low = middle + 1;
            } else if (found > sequence) {
                high = middle - 1;
            } else {
                return -1;
            }
        }
        return low;
    }

    private void dropOldest() {
        droppedUpTo = longs[head * LONGS + SEQUENCE];
        Arrays.fill(refs, head * REFS, head * REFS + REFS, null);
        head = slot(1);
        size--;
    }

    /** Shifts the messages from logical {@code at} on one place toward the tail (there is room) and puts this one at {@code at}. */
    private void insert(int at, long sequence, DecodedMessage message) {
        for (int i = size; i > at; i--) {
            move(slot(i - 1), slot(i));
        }
        size++;
        write(at, sequence, message);
    }

    /** Fills logical place {@code at} (the others in place already). */
    private void write(int at, long sequence, DecodedMessage message) {
        int slot = slot(at);
        int l = slot * LONGS;
        int n = slot * INTS;
        int r = slot * REFS;
        longs[l + SEQUENCE] = sequence;
        longs[l + SENT_AT] = message.sentAtNs();
        String id = message.id();
        refs[r + ID] = packedId(id, l) ? PACKED_ID : id;
        refs[r + SENDER] = shared(message.senderInboxId(), at, SENDER);
        refs[r + TYPE] = shared(message.contentType(), at, TYPE);
        if (message.content() instanceof String text) {
            int code = PackedStrings.code(text);
            refs[r + CONTENT] = texts.pack(text, code);
            ints[n + TEXT_AT] = texts.packedAt();
            ints[n + TEXT_CODE] = code;
        } else {
            refs[r + CONTENT] = message.content();
            ints[n + TEXT_CODE] = NOT_PACKED;
        }
        refs[r + FALLBACK] = message.fallback();
    }

    private DecodedMessage message(int slot) {
        int l = slot * LONGS;
        int n = slot * INTS;
        int r = slot * REFS;
        String id = refs[r + ID] == PACKED_ID ? hexId(longs[l + ID_HIGH], longs[l + ID_LOW]) : (String) refs[r + ID];
        Object content = ints[n + TEXT_CODE] == NOT_PACKED ? refs[r + CONTENT]
                : PackedStrings.read((byte[]) refs[r + CONTENT], ints[n + TEXT_AT], ints[n + TEXT_CODE]);
        return new DecodedMessage(id, conversationId, (String) refs[r + SENDER], longs[l + SENT_AT],
                (ContentTypeId) refs[r + TYPE], content, (String) refs[r + FALLBACK]);
    }

    /**
     * {@code value}, or the equal one the message before or after logical place {@code at} holds in
     * {@code field}, so that the one given can go: messages of a conversation mostly share sender and type.
     */
    private Object shared(Object value, int at, int field) {
        if (value == null) {
            return null;
        }
        for (int neighbour = at > 0 ? at - 1 : at + 1; neighbour <= at + 1 && neighbour < size; neighbour += 2) {
            Object kept = refs[slot(neighbour) * REFS + field];
            if (value.equals(kept)) {
                return kept;
            }
        }
        return value;
    }

    /**
     * Packs {@code id} into the longs at {@code l} when it is the lower-case hexadecimal of 16 bytes (every
     * id the client makes); false, nothing packed, for any other id. One pass that checks and parses
     * together, without a branch per digit: a look-up gives -1 for anything but a digit.
     */
    private boolean packedId(String id, int l) {
        if (id == null || id.length() != ID_HEX_DIGITS) {
            return false;
        }
        int half = ID_HEX_DIGITS / 2;
        long high = 0;
        long low = 0;
        int invalid = 0;
        for (int i = 0; i < half; i++) {
            int h = hexValue(id.charAt(i));
            int w = hexValue(id.charAt(half + i));
            invalid |= h | w;
            high = high << 4 | (h & 0xf);
            low = low << 4 | (w & 0xf);
        }
        if (invalid < 0) {
            return false;
        }
        longs[l + ID_HIGH] = high;
        longs[l + ID_LOW] = low;
        return true;
    }

    private static int hexValue(char c) {
        return c < HEX_VALUES.length ? HEX_VALUES[c] : -1;
    }

    /** The value of each lower-case hexadecimal digit, -1 for every other character below 128. */
    private static byte[] hexValues() {
        byte[] values = new byte[128];
        Arrays.fill(values, (byte) -1);
        for (int digit = 0; digit < 16; digit++) {
            values[Character.forDigit(digit, 16)] = (byte) digit;
        }
        return values;
    }

    private static String hexId(long high, long low) {
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    private void move(int from, int to) {
        System.arraycopy(longs, from * LONGS, longs, to * LONGS, LONGS);
        System.arraycopy(ints, from * INTS, ints, to * INTS, INTS);
        System.arraycopy(refs, from * REFS, refs, to * REFS, REFS);
    }

    /**
     * A ring below the cap has never dropped its oldest (only a full ring at the cap does), so its oldest
     * is in slot 0 and it grows by copying its arrays as they are.
     */
    private void grow() {
        int capacity = (int) Math.min(cap, capacity() * 2L);
        longs = Arrays.copyOf(longs, capacity * LONGS);
        ints = Arrays.copyOf(ints, capacity * INTS);
        refs = Arrays.copyOf(refs, capacity * REFS);
    }

    private int capacity() {
        return longs.length / LONGS;
    }

    private long sequenceAt(int logical) {
        return longs[slot(logical) * LONGS + SEQUENCE];
    }

    private int slot(int logical) {
        int index = head + logical;
        return index < capacity() ? index : index - capacity();
    }
}
