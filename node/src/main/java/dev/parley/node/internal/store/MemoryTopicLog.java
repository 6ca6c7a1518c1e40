package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import dev.parley.spi.Envelope;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The log of one topic in memory: sequences from 1, idempotent appends, the oldest entries trimmed
 * by retention (their keys with them) while sequences go on. The entries' small fields are packed
 * ({@link PackedEntries}), their payloads kept by reference; envelopes are made when read, except
 * for the newest few: the envelope an append made is kept in a small ring ({@link #RECENT} at most),
 * and a read of its sequence (a live subscriber's, right after the append) gets it as it is. Thread-safe.
 */
final class MemoryTopicLog {
    static final int RECENT = 256;
    private final String topic;
    private final PackedEntries entries = new PackedEntries(); // the retained, dense: the newest is lastSequence
    private final IdempotencyIndex byIdempotencyKey = new IdempotencyIndex(new IdempotencyIndex.Entries() {
        @Override
        public long firstSequence() {
            return first(); // only asked while a key is indexed: an entry is retained
        }

        @Override
        public String keyAt(long sequence) {
            return entries.key(indexOf(sequence));
        }
    });
    private long lastSequence;
    // the envelopes of the newest appends; grows with the log up to RECENT
    private final EnvelopeRing recent = new EnvelopeRing(RECENT);

    MemoryTopicLog(String topic) {
        this.topic = topic;
    }

    /** Appends, adding the payload's bytes to {@code bytes} when the entry is new. */
    Appended append(byte[] payload, String idempotencyKey, String senderInboxId, NodeClock clock, SenderBytes bytes) {
        return appendDecided(idempotencyKey, senderInboxId, clock, bytes, sequence -> payload).orElseThrow();
    }

    /**
     * Under this log's lock: the entry stored under {@code idempotencyKey} if there is one; else the
     * payload {@code decide} gives for the next sequence is appended (nothing when it gives null, and
     * nothing when it throws, which refuses the append with what it threw).
     */
    synchronized Optional<Appended> appendDecided(String idempotencyKey, String senderInboxId, NodeClock clock,
                                                  SenderBytes bytes, LongFunction<byte[]> decide) {
        // stamped first: the clock is a fence (an ordered time read, a compare-and-set), and after the
        // look-up it waited for the look-up's cache miss, which the work after the look-up can overlap
        long now = clock.nowNs();
        long keyHash = byIdempotencyKey.hash(idempotencyKey);
        long existing = byIdempotencyKey.find(idempotencyKey, keyHash);
        if (existing != IdempotencyIndex.NONE) {
            return Optional.of(new Appended(envelope(existing), false));
        }
        byte[] payload = decide.apply(lastSequence + 1);
        if (payload == null) {
            return Optional.empty();
        }
        Envelope envelope = new Envelope(topic, ++lastSequence, now, payload, idempotencyKey, senderInboxId);
        entries.add(envelope.timestampNs(), payload, idempotencyKey, (int) (keyHash >>> 32), senderInboxId);
        byIdempotencyKey.add(keyHash, lastSequence);
        recent.put(envelope, entries.size());
        bytes.add(senderInboxId, payload.length);
        return Optional.of(new Appended(envelope, true));
    }

    /** The retained entry at {@code sequence}: the envelope its append made while that is in the ring. */
    private Envelope envelope(long sequence) {
        Envelope kept = recent.at(sequence);
        return kept != null ? kept : entries.envelope(topic, sequence, indexOf(sequence));
    }

    /** Where the retained entry at {@code sequence} is in {@link #entries}. */
    private int indexOf(long sequence) {
        return (int) (sequence - first());
    }

    /** The first retained sequence; {@code lastSequence + 1} when none is. */
    private long first() {
        return lastSequence - entries.size() + 1;
    }

    /** Up to {@code limit} retained entries after {@code afterSequence}, in order. */
    synchronized List<Envelope> read(long afterSequence, int limit) {
        long first = first();
        int from = (int) Math.min(entries.size(), Math.max(0, afterSequence - first + 1));
        int to = (int) Math.min(entries.size(), (long) from + limit);
        if (from >= to) {
            return List.of();
        }
        Envelope[] read = new Envelope[to - from];
        for (int i = from; i < to; i++) {
            read[i - from] = envelope(first + i);
        }
        return Collections.unmodifiableList(Arrays.asList(read));
    }

    synchronized long lastSequence() {
        return lastSequence;
    }

    synchronized long firstRetained() {
        return first();
    }

    /**
     * Drops entries stamped before {@code oldestKeptNs} and all but the newest {@code maxCount}, taking
     * their payload bytes off {@code bytes}; returns how many.
     */
    synchronized long trim(long oldestKeptNs, long maxCount, SenderBytes bytes) {
        long removed = 0;
        while (entries.size() > 0 && (entries.size() > maxCount || entries.timestampNs(0) < oldestKeptNs)) {
            long gone = first();
            byIdempotencyKey.removeHashed((long) entries.keyTag(0) << 32, gone);
            recent.remove(gone); // its payload goes with the entry
            bytes.add(entries.senderInboxId(0), -entries.payloadLength(0));
            entries.removeOldest();
            removed++;
        }
        return removed;
    }
}
