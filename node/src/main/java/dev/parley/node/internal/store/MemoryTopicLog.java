package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import dev.parley.spi.Envelope;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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

    /** Who may append to a log: checked under its lock when an entry would be new. */
    interface Writers {
        /** Anyone: a topic that is not a conversation's. */
        Writers ANYONE = senderInboxId -> { };

        /** Returns when {@code senderInboxId} may append now, throws what refuses the append when not. */
        void check(String senderInboxId);
    }

    /** Appends, adding the payload's bytes to {@code bytes} when the entry is new. */
    Appended append(byte[] payload, String idempotencyKey, String senderInboxId, NodeClock clock, SenderBytes bytes) {
        return appendFrom(Writers.ANYONE, payload, idempotencyKey, senderInboxId, clock, bytes);
    }

    /**
     * Under this log's lock: the entry stored under {@code idempotencyKey} if there is one; else
     * {@code payload} is appended if {@code writers} let the sender (what they throw refuses it). No
     * object is made for the check (a decision function would capture the payload and the sender).
     */
    synchronized Appended appendFrom(Writers writers, byte[] payload, String idempotencyKey, String senderInboxId,
                                     NodeClock clock, SenderBytes bytes) {
        long now = clock.nowNs(); // first, as in appendDecided
        long keyHash = byIdempotencyKey.hash(idempotencyKey);
        Appended existing = existing(idempotencyKey, keyHash);
        if (existing != null) {
            return existing;
        }
        writers.check(senderInboxId);
        return appendNew(now, keyHash, payload, idempotencyKey, senderInboxId, bytes);
    }

    /**
     * Under this log's lock: the entry stored under {@code idempotencyKey} if there is one; else the
     * payload {@code decide} gives for the next sequence is appended (nothing when it gives null, and
     * nothing when it throws, which refuses the append with what it threw): the entry, null when
     * nothing was appended.
     */
    synchronized Appended appendDecided(String idempotencyKey, String senderInboxId, NodeClock clock,
                                        SenderBytes bytes, LongFunction<byte[]> decide) {
        // stamped first: the clock is a fence (an ordered time read, a compare-and-set), and after the
        // look-up it waited for the look-up's cache miss, which the work after the look-up can overlap
        long now = clock.nowNs();
        long keyHash = byIdempotencyKey.hash(idempotencyKey);
        Appended existing = existing(idempotencyKey, keyHash);
        if (existing != null) {
            return existing;
        }
        byte[] payload = decide.apply(lastSequence + 1);
        return payload == null ? null : appendNew(now, keyHash, payload, idempotencyKey, senderInboxId, bytes);
    }

    /** The entry stored under the key, not new; null when there is none. */
    private Appended existing(String idempotencyKey, long keyHash) {
        long existing = byIdempotencyKey.find(idempotencyKey, keyHash);
        return existing == IdempotencyIndex.NONE ? null : new Appended(envelope(existing), false);
    }

    private Appended appendNew(long now, long keyHash, byte[] payload, String idempotencyKey, String senderInboxId,
                               SenderBytes bytes) {
        Envelope envelope = new Envelope(topic, ++lastSequence, now, payload, idempotencyKey, senderInboxId);
        entries.add(envelope.timestampNs(), payload, idempotencyKey, (int) (keyHash >>> 32), senderInboxId);
        byIdempotencyKey.add(keyHash, lastSequence);
        recent.put(envelope, entries.size());
        bytes.add(senderInboxId, payload.length);
        return new Appended(envelope, true);
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
