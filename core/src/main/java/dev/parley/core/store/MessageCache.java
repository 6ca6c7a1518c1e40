package dev.parley.core.store;

import dev.parley.DecodedMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The latest messages of one conversation, at most {@code cap}, by sequence. Beyond the cap the
 * oldest go; a message at or below what was dropped is not stored again (a late duplicate would
 * only be dropped once more).
 *
 * <p>A ring of sequences and messages sorted by sequence: a stream adds in order, which appends
 * (and drops the oldest at the cap) in constant time; a sync page arriving after newer messages is
 * inserted in place. The ring starts small and grows to {@code cap}, so quiet conversations cost
 * little. Not thread-safe.
 */
final class MessageCache {
    private static final int INITIAL_CAPACITY = 8;

    private final int cap;
    private long[] sequences;
    private DecodedMessage[] messages;
    private int head; // physical index of the oldest
    private int size;
    private long droppedUpTo; // highest sequence of the current history dropped from the cache

    MessageCache(int cap) {
        this.cap = cap;
        int capacity = Math.min(cap, INITIAL_CAPACITY);
        this.sequences = new long[capacity];
        this.messages = new DecodedMessage[capacity];
    }

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
        } else if (size == sequences.length) {
            grow();
        }
        insert(at, sequence, message);
        return true;
    }

    List<DecodedMessage> all() {
        List<DecodedMessage> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(messages[physical(i)]);
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
        droppedUpTo = sequences[head];
        messages[head] = null;
        head = physical(1);
        size--;
    }

    /** Shifts the entries from logical {@code at} on one place toward the tail (there is room) and puts this one at {@code at}. */
    private void insert(int at, long sequence, DecodedMessage message) {
        for (int i = size; i > at; i--) {
            int to = physical(i);
            int from = physical(i - 1);
            sequences[to] = sequences[from];
            messages[to] = messages[from];
        }
        sequences[physical(at)] = sequence;
        messages[physical(at)] = message;
        size++;
    }

    private void grow() {
        int capacity = (int) Math.min(cap, sequences.length * 2L);
        long[] grownSequences = new long[capacity];
        DecodedMessage[] grownMessages = new DecodedMessage[capacity];
        for (int i = 0; i < size; i++) {
            grownSequences[i] = sequenceAt(i);
            grownMessages[i] = messages[physical(i)];
        }
        Arrays.fill(messages, null);
        sequences = grownSequences;
        messages = grownMessages;
        head = 0;
    }

    private long sequenceAt(int logical) {
        return sequences[physical(logical)];
    }

    private int physical(int logical) {
        int index = head + logical;
        return index < sequences.length ? index : index - sequences.length;
    }
}
