package dev.parley.node.internal.store;

import dev.parley.spi.Envelope;

import java.util.Arrays;

/**
 * The envelopes of a log's newest sequences, each at {@code sequence & (length - 1)}: an envelope is
 * there while no later sequence took its slot. The ring starts at one slot and doubles while the log
 * holds more entries than it has slots, up to a maximum, so a quiet log costs little. One thread puts
 * and removes (under the log's lock, or the only writer); {@link #at} may be called from any thread
 * without a lock: it checks the slot's sequence, and an envelope's fields are final, so a reader sees
 * either the envelope it asks for, whole, or null.
 */
public final class EnvelopeRing {
    private final int max;
    private volatile Envelope[] slots = new Envelope[1];

    /** A ring of at most {@code max} slots (a power of two). */
    public EnvelopeRing(int max) {
        if (Integer.bitCount(max) != 1) {
            throw new IllegalArgumentException("not a power of two: " + max);
        }
        this.max = max;
    }

    /** The envelope of {@code sequence} while it is in the ring; null when not. */
    public Envelope at(long sequence) {
        Envelope[] in = slots;
        Envelope kept = in[(int) sequence & (in.length - 1)];
        return kept != null && kept.sequence() == sequence ? kept : null;
    }

    /**
     * Keeps {@code envelope} in its slot, growing the ring first while the log holds more than
     * {@code held} entries than it has slots (and the ring is below its maximum).
     */
    public void put(Envelope envelope, long held) {
        Envelope[] in = slots;
        if (held > in.length && in.length < max) {
            int length = in.length;
            while (length < held && length < max) {
                length *= 2;
            }
            Envelope[] grown = new Envelope[length];
            for (Envelope kept : in) {
                if (kept != null) {
                    grown[(int) kept.sequence() & (length - 1)] = kept;
                }
            }
            slots = grown;
            in = grown;
        }
        in[(int) envelope.sequence() & (in.length - 1)] = envelope;
    }

    /** Lets go of the envelope of {@code sequence} (its payload with it) if the ring holds it; returns it, or null. */
    public Envelope remove(long sequence) {
        Envelope[] in = slots;
        int slot = (int) sequence & (in.length - 1);
        Envelope kept = in[slot];
        if (kept == null || kept.sequence() != sequence) {
            return null;
        }
        in[slot] = null;
        return kept;
    }

    /** Lets go of every envelope and shrinks back to one slot. */
    public void clear() {
        Envelope[] in = slots;
        Arrays.fill(in, null);
        slots = new Envelope[1];
    }

    /** How many slots the ring has now. */
    public int capacity() {
        return slots.length;
    }
}
