package dev.parley.node.internal.store;

import java.security.SecureRandom;

/**
 * The sequences of a topic log's idempotency keys, for finding the entry a retried key names. One
 * flat array of longs with linear probing, each slot 32 bits of the key's hash and the low 32 bits of
 * its sequence (the log keeps fewer than 2^31 entries, so those name one retained entry): no node per
 * key for the collector to copy, a growth that moves longs instead of chasing a node per key, and one
 * cache line per look-up of a new key. The key itself is the log's: a slot whose hash matches is
 * confirmed against the key stored at its sequence, so the answer is exact. Keys come from clients, so
 * the hash is SipHash-1-3 under a secret random key: nobody can choose keys that collide (unlike
 * {@link String#hashCode()}), and a hostile writer cannot lengthen the probes of a topic others write
 * to. Not thread-safe: the log's lock guards it.
 */
public final class IdempotencyIndex {
    /** What {@link #find} answers when the key is not indexed. */
    public static final long NONE = -1;
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final int MIN_SLOTS = 16;
    private static final long TAG = 0xffffffff00000000L; // a slot's hash bits

    /** The log the index serves: its indexed entries are all retained, fewer than 2^31. */
    public interface Entries {
        /** The first retained sequence: every indexed one is at or after it. */
        long firstSequence();

        /** The key stored at an indexed sequence. */
        String keyAt(long sequence);
    }

    private final Entries entries;
    private final long k0;
    private final long k1;
    private long[] slots = new long[MIN_SLOTS]; // hash's high 32 bits | the sequence's low 32 bits; 0: empty
    private int mask = MIN_SLOTS - 1;
    private int size;

    IdempotencyIndex(Entries entries) {
        this(entries, SEEDS.nextLong(), SEEDS.nextLong());
    }

    /**
     * With a given hash key: for tests that need the same layout every run, and for a durable log
     * that stores its keys' hashes (under a secret key of its own) and rebuilds the index from them.
     */
    public IdempotencyIndex(Entries entries, long k0, long k1) {
        this.entries = entries;
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The keyed hash of {@code key}; what {@link #find} and {@link #add} take. */
    public long hash(String key) {
        return hash(k0, k1, key);
    }

    /** The hash {@link #hash} gives under the hash key {@code k0, k1}: its high 32 bits, never all zero. */
    public static long hash(long k0, long k1, String key) {
        long tag = SipHash13.hash(k0, k1, key) & TAG;
        return tag == 0 ? 1L << 32 : tag; // 0 marks an empty slot
    }

    /** The sequence indexed under {@code key} (whose {@link #hash} is {@code hash}), or {@link #NONE}. */
    public long find(String key, long hash) {
        long first = -1;
        for (int i = home(hash); ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return NONE;
            }
            if ((slot & TAG) == hash) {
                if (first < 0) {
                    first = entries.firstSequence();
                }
                long sequence = first + Integer.toUnsignedLong((int) slot - (int) first);
                if (key.equals(entries.keyAt(sequence))) {
                    return sequence;
                }
            }
        }
    }

    /** Indexes {@code sequence} under the key of hash {@code hash}, which is not indexed yet. */
    public void add(long hash, long sequence) {
        if (2 * (size + 1) > slots.length) { // at most half the slots full
            grow();
        }
        put(slots, mask, hash | (sequence & 0xffffffffL));
        size++;
    }

    /** Forgets {@code sequence}, indexed under {@code key}; nothing when it is not indexed. */
    public void remove(String key, long sequence) {
        removeHashed(hash(key), sequence);
    }

    /** {@link #remove} of the key whose {@link #hash} is {@code hash}, for a log that kept the hash. */
    public void removeHashed(long hash, long sequence) {
        long wanted = hash | (sequence & 0xffffffffL);
        for (int i = home(hash); ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return;
            }
            if (slot == wanted) {
                closeGap(i);
                size--;
                return;
            }
        }
    }

    /** How many keys are indexed. */
    public int size() {
        return size;
    }

    /** The longest run of slots a look-up of an indexed key walks: for tests of the hash's spread. */
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

    /** Backward-shift deletion: moves later entries of the run into the gap, so no tombstones build up. */
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

    /** SipHash-1-3 of a string's UTF-16 code units, four to a 64-bit word. */
    static final class SipHash13 {
        private long v0;
        private long v1;
        private long v2;
        private long v3;

        private SipHash13(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        static long hash(long k0, long k1, String text) {
            SipHash13 sip = new SipHash13(k0, k1); // scalar-replaced once inlined
            int length = text.length();
            int whole = length & ~3;
            for (int at = 0; at < whole; at += 4) {
                sip.absorb(text.charAt(at) | (long) text.charAt(at + 1) << 16
                        | (long) text.charAt(at + 2) << 32 | (long) text.charAt(at + 3) << 48);
            }
            long last = (long) (length * 2) << 56; // the length in bytes ends SipHash's input
            for (int at = whole, shift = 0; at < length; at++, shift += 16) {
                last |= (long) text.charAt(at) << shift;
            }
            sip.absorb(last);
            sip.v2 ^= 0xff;
            sip.round();
            sip.round();
            sip.round();
            return sip.v0 ^ sip.v1 ^ sip.v2 ^ sip.v3;
        }

        private void absorb(long word) {
            v3 ^= word;
            round();
            v0 ^= word;
        }

        private void round() {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
        }
    }
}
