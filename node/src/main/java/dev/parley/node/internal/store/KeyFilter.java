package dev.parley.node.internal.store;

import java.util.Arrays;

/**
 * A Bloom filter of key tags (the 32 hash bits an {@link IdempotencyIndex} slot keeps), its three
 * bits for a tag in one 64-bit word: a look-up reads one word, and the filter is a thirty-second of
 * the table it stands in front of, so it stays in cache where the table does not. "Absent" is exact
 * (a tag added and not {@link #clear cleared} always answers "maybe"); "maybe" is wrong for 5-15 per
 * cent of absent tags (at 8 and 4 bits a tag). It cannot forget one tag: its owner counts removals
 * and rebuilds it. Not thread-safe.
 */
final class KeyFilter {
    private final long[] words;
    private final int mask;

    /** A filter of {@code words} 64-bit words, a power of two. */
    KeyFilter(int words) {
        this.words = new long[words];
        this.mask = words - 1;
    }

    boolean mightContain(long hash) {
        int tag = (int) (hash >>> 32);
        long bits = bits(tag);
        return (words[word(tag)] & bits) == bits;
    }

    void add(long hash) {
        int tag = (int) (hash >>> 32);
        words[word(tag)] |= bits(tag);
    }

    /** The word a tag's bits are in: the high bits of a multiplicative hash of the tag. */
    private int word(int tag) {
        return (int) ((tag & 0xffffffffL) * 0x9e3779b97f4a7c15L >>> 32) & mask;
    }

    /** A tag's three bits (maybe fewer when two coincide), from the high bits of another multiplicative hash. */
    private static long bits(int tag) {
        long mixed = (tag & 0xffffffffL) * 0xc2b2ae3d27d4eb4fL;
        return 1L << (mixed >>> 58) | 1L << (mixed >>> 52) | 1L << (mixed >>> 46);
    }

    /** How many words the filter has. */
    int words() {
        return words.length;
    }

    /** Forgets every tag. */
    void clear() {
        Arrays.fill(words, 0);
    }
}
