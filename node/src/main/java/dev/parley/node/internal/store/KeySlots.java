package dev.parley.node.internal.store;

import java.util.Arrays;

/**
 * The open-addressing table under an {@link IdempotencyIndex}: a flat array of longs with linear
 * probing, each slot 32 bits of a key's hash (its tag, never all zero) over the low 32 bits of its
 * sequence; 0 marks an empty slot. A growable table keeps at most half its slots full; a fixed one
 * is never given more than half its slots. Removal shifts later entries of the run back, so no
 * tombstones build up. Not thread-safe.
 */
final class KeySlots {
    static final long TAG = 0xffffffff00000000L; // a slot's hash bits
    private static final int MIN_SLOTS = 16;

    private final boolean growable;
    private long[] slots;
    private int mask;
    private int size;

    /** A growable table, from a few slots. */
    KeySlots() {
        this(MIN_SLOTS, true);
    }

    /** A table of {@code capacity} slots (a power of two), growable or not. */
    KeySlots(int capacity, boolean growable) {
        this.slots = new long[capacity];
        this.mask = capacity - 1;
        this.growable = growable;
    }

    /** The slot that holds {@code sequence} under a key of hash {@code hash} (its tag in the high 32 bits). */
    static long slotOf(long hash, long sequence) {
        return hash | (sequence & 0xffffffffL);
    }

    /** The sequence {@code key} (of hash {@code hash}) is stored under, or {@link IdempotencyIndex#NONE}. */
    long find(String key, long hash, IdempotencyIndex.Entries entries) {
        long first = -1;
        for (int i = home(hash); ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return IdempotencyIndex.NONE;
            }
            if ((slot & TAG) == hash) {
                if (first < 0) {
                    first = entries.firstSequence();
                }
                // the log keeps fewer than 2^31 entries: the low 32 bits name one at or after the first
                long sequence = first + Integer.toUnsignedLong((int) slot - (int) first);
                if (key.equals(entries.keyAt(sequence))) {
                    return sequence;
                }
            }
        }
    }

    /** Stores {@code slot}, which is not stored yet; a growable table grows first when it would be over half full. */
    void add(long slot) {
        if (growable && 2 * (size + 1) > slots.length) {
            grow();
        }
        put(slots, mask, slot);
        size++;
    }

    /** Removes {@code slot}; false when it is not stored. */
    boolean remove(long slot) {
        for (int i = home(slot); ; i = (i + 1) & mask) {
            long at = slots[i];
            if (at == 0) {
                return false;
            }
            if (at == slot) {
                closeGap(i);
                size--;
                return true;
            }
        }
    }

    /** What the home slot of {@code slot} holds: reading it brings its cache line in, for an {@link #add} soon after. */
    long atHome(long slot) {
        return slots[home(slot)];
    }

    int size() {
        return size;
    }

    /** How many slots the table has. */
    int capacity() {
        return slots.length;
    }

    /** The slot at {@code i} (0 when empty), for walking the whole table. */
    long slotAt(int i) {
        return slots[i];
    }

    /** Empties the table, keeping its slots. */
    void clear() {
        Arrays.fill(slots, 0);
        size = 0;
    }

    /** The longest run of slots a look-up of a stored slot walks. */
    int longestProbe() {
        int longest = 0;
        for (int i = 0; i <= mask; i++) {
            if (slots[i] != 0) {
                longest = Math.max(longest, ((i - home(slots[i])) & mask) + 1);
            }
        }
        return longest;
    }

    /** Where look-ups of a hash (or of the slot holding it) start: from the hash's bits, kept in the slot. */
    private int home(long hashOrSlot) {
        return (int) (hashOrSlot >>> 32) & mask;
    }

    /** Backward-shift deletion: moves later entries of the run into the gap. */
    private void closeGap(int gap) {
        for (int i = (gap + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
            int home = home(slots[i]);
            // the entry at i may move to the gap when its home is not in (gap, i] (cyclically)
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                slots[gap] = slots[i];
                gap = i;
            }
        }
        slots[gap] = 0;
    }

    private void grow() {
        long[] old = slots;
        long[] grown = new long[2 * old.length];
        int grownMask = grown.length - 1;
        for (long slot : old) {
            if (slot != 0) {
                put(grown, grownMask, slot);
            }
        }
        slots = grown;
        mask = grownMask;
    }

    private static void put(long[] slots, int mask, long slot) {
        int i = (int) (slot >>> 32) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }
}
