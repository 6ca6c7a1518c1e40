package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.store.EnvelopeRing;
import dev.parley.spi.Envelope;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One topic's newest committed entries, {@code first} to {@code last} (empty when {@code first > last}),
 * at most a ring's worth. Only the writer thread changes it; any thread reads it without a lock. The
 * writer puts an entry in its slot before it publishes {@code last} (volatile), and raises {@code first}
 * before it lets go of a slot; a reader reads {@code last}, then {@code first}, checks each slot's
 * sequence, and checks {@code first} again at the end, so it returns only entries that were all in the
 * tail together, or nothing.
 */
final class TopicTail {
    /** Bytes counted per entry beside its payload and key: the envelope, the key string, array headers. */
    private static final int ENTRY_OVERHEAD = 96;
    private static final long DEAD = Long.MAX_VALUE;

    private final EnvelopeRing ring;
    private final int max;
    private volatile long first = 1;
    private volatile long last;
    private long bytes; // writer thread only

    TopicTail(int max) {
        this.ring = new EnvelopeRing(max);
        this.max = max;
    }

    /**
     * Adds the committed entry after the last (the tail starts again at it when it does not follow
     * the last, or the last was dropped); drops the oldest when the ring is full. Returns how many bytes
     * the tail holds more (or fewer) now.
     */
    long add(Envelope entry) {
        long before = bytes;
        long sequence = entry.sequence();
        if (sequence != last + 1 || sequence < first) {
            first = DEAD; // readers in the middle of a read give up
            ring.clear();
            bytes = 0;
            last = sequence - 1;
            first = sequence;
        } else if (sequence - first >= max) {
            dropThrough(first);
        }
        ring.put(entry, sequence - first + 1);
        bytes += weight(entry);
        last = sequence;
        return bytes - before;
    }

    /** Drops the entries up to {@code sequence} (a trim removed them, or memory is short); returns the bytes freed. */
    long dropThrough(long sequence) {
        long from = first;
        if (sequence < from) {
            return 0;
        }
        first = sequence + 1;
        long freed = 0;
        for (long s = from, to = Math.min(sequence, last); s <= to; s++) {
            Envelope gone = ring.remove(s);
            if (gone != null) {
                freed += weight(gone);
            }
        }
        bytes -= freed;
        return freed;
    }

    /** Drops the oldest entry; returns the bytes freed. */
    long dropOldest() {
        return dropThrough(first);
    }

    /** Drops everything for good (readers holding this tail find nothing any more); returns the bytes freed. */
    long kill() {
        long freed = bytes;
        first = DEAD;
        ring.clear();
        bytes = 0;
        return freed;
    }

    boolean isEmpty() {
        return first > last;
    }

    /**
     * Up to {@code limit} entries after {@code afterSequence} and not after {@code upTo}, when the tail
     * holds them all (at least one); null when it does not (the caller reads them from the database).
     */
    List<Envelope> read(long afterSequence, int limit, long upTo) {
        long newest = Math.min(last, upTo);
        long from = afterSequence + 1;
        if (from < first || from > newest) {
            return null;
        }
        long to = Math.min(newest, afterSequence + limit);
        Envelope[] read = new Envelope[(int) (to - from + 1)];
        for (long s = from; s <= to; s++) {
            Envelope kept = ring.at(s);
            if (kept == null) {
                return null; // a later entry or a drop took its slot meanwhile
            }
            read[(int) (s - from)] = kept;
        }
        if (first > from) {
            return null; // dropped (trimmed) while we read
        }
        return Collections.unmodifiableList(Arrays.asList(read));
    }

    private static long weight(Envelope entry) {
        return entry.payload().length + 2L * entry.idempotencyKey().length() + ENTRY_OVERHEAD;
    }
}
