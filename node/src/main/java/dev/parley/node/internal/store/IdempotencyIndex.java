package dev.parley.node.internal.store;

import java.security.SecureRandom;

/**
 * The sequences of a topic log's idempotency keys, for finding the entry a retried key names. A flat
 * table of longs with linear probing ({@link KeySlots}), each slot 32 bits of the key's hash and the
 * low 32 bits of its sequence (the log keeps fewer than 2^31 entries, so those name one retained
 * entry): no node per key for the collector to copy. The key itself is the log's: a slot whose hash
 * matches is confirmed against the key stored at its sequence, so the answer is exact. Keys come from
 * clients, so the hash is SipHash-1-3 under a secret random key: nobody can choose keys that collide
 * (unlike {@link String#hashCode()}), and a hostile writer cannot lengthen the probes of a topic others
 * write to.
 *
 * <p>Most keys a log is asked for are new, and a new key's look-up in a large table is a cache miss
 * (the table of a log of a million keys is 16-32 MiB). From {@link #FILTERED_FROM} slots on, the
 * index answers most new keys without touching the table: a {@link KeyFilter} of the table's tags (a
 * thirty-second of its size, so it stays in cache) says "absent" for 85-95 % of them, exactly, and the
 * newest keys wait in a small table of their own ({@link #STAGED} at most) before they go into the
 * large one together, their slots read first one after the other so that their cache misses overlap
 * instead of each stalling its own append. Removals clear no filter bits: the filter is rebuilt from
 * the table once a sixteenth of the table's slots were removed since it was built. Not thread-safe: the
 * log's lock guards it.
 */
public final class IdempotencyIndex {
    /** What {@link #find} answers when the key is not indexed. */
    public static final long NONE = -1;
    /** The table's slots from which a filter stands in front of it (512 KiB: no longer at home in a core's cache). */
    static final int FILTERED_FROM = 1 << 16;
    /** The most keys waiting to go into a filtered table together. */
    static final int STAGED = 512;
    private static final SecureRandom SEEDS = new SecureRandom();

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
    private final KeySlots table = new KeySlots();
    private KeySlots staged; // the newest keys, not in the table yet; with the filter, from FILTERED_FROM slots on
    private KeyFilter filter; // the tags in the table, and those removed since it was built
    private int removedSinceBuilt;
    private long touched; // what the staged keys' home slots held: read to overlap their misses, kept so it stays read

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
        long tag = SipHash13.hash(k0, k1, key) & KeySlots.TAG;
        return tag == 0 ? 1L << 32 : tag; // 0 marks an empty slot
    }

    /** The sequence indexed under {@code key} (whose {@link #hash} is {@code hash}), or {@link #NONE}. */
    public long find(String key, long hash) {
        if (staged != null) {
            long found = staged.find(key, hash, entries);
            if (found != NONE || !filter.mightContain(hash)) {
                return found;
            }
        }
        return table.find(key, hash, entries);
    }

    /** Indexes {@code sequence} under the key of hash {@code hash}, which is not indexed yet. */
    public void add(long hash, long sequence) {
        long slot = KeySlots.slotOf(hash, sequence);
        if (staged == null) {
            table.add(slot);
            if (table.capacity() >= FILTERED_FROM) {
                staged = new KeySlots(2 * STAGED, false);
                rebuildFilter();
            }
            return;
        }
        staged.add(slot);
        if (staged.size() == STAGED) {
            unstage();
        }
    }

    /** Forgets {@code sequence}, indexed under {@code key}; nothing when it is not indexed. */
    public void remove(String key, long sequence) {
        removeHashed(hash(key), sequence);
    }

    /** {@link #remove} of the key whose {@link #hash} is {@code hash}, for a log that kept the hash. */
    public void removeHashed(long hash, long sequence) {
        long slot = KeySlots.slotOf(hash, sequence);
        if (staged != null && staged.remove(slot)) {
            return;
        }
        if (table.remove(slot) && filter != null && ++removedSinceBuilt > table.capacity() / 16) {
            rebuildFilter();
        }
    }

    /** How many keys are indexed. */
    public int size() {
        return table.size() + (staged == null ? 0 : staged.size());
    }

    /** The longest run of slots a look-up of an indexed key walks in the large table: for tests of the hash's spread. */
    int longestProbe() {
        return table.longestProbe();
    }

    /**
     * Moves the staged keys into the table: first reads each one's home slot (independent loads, whose
     * cache misses the processor overlaps), then adds them, their lines now in cache.
     */
    private void unstage() {
        int capacity = staged.capacity();
        long read = 0;
        for (int i = 0; i < capacity; i++) {
            long slot = staged.slotAt(i);
            if (slot != 0) {
                read += table.atHome(slot);
            }
        }
        touched += read;
        int before = table.capacity();
        for (int i = 0; i < capacity; i++) {
            long slot = staged.slotAt(i);
            if (slot != 0) {
                table.add(slot);
                filter.add(slot);
            }
        }
        staged.clear();
        if (table.capacity() != before) {
            rebuildFilter(); // sized to the grown table
        }
    }

    /**
     * A filter of the table's tags as they are now: two bits a slot, 4-8 bits a key (a sixteenth of
     * the table's bytes gave more cache misses on the filter than it saved on the table).
     */
    private void rebuildFilter() {
        int words = table.capacity() / 32;
        if (filter == null || filter.words() != words) {
            filter = new KeyFilter(words);
        } else {
            filter.clear();
        }
        for (int i = 0, capacity = table.capacity(); i < capacity; i++) {
            long slot = table.slotAt(i);
            if (slot != 0) {
                filter.add(slot);
            }
        }
        removedSinceBuilt = 0;
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
