package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
import dev.parley.spi.Envelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The log of one topic in memory: sequences from 1, idempotent appends, the oldest entries trimmed
 * by retention (their keys with them) while sequences go on. Thread-safe.
 */
final class MemoryTopicLog {
    private final String topic;
    private final ArrayList<Envelope> entries = new ArrayList<>(); // entries[head..] are retained, dense
    private final IdempotencyIndex byIdempotencyKey = new IdempotencyIndex(new IdempotencyIndex.Entries() {
        @Override
        public long firstSequence() {
            return entries.get(head).sequence(); // only asked while a key is indexed: an entry is retained
        }

        @Override
        public String keyAt(long sequence) {
            return entry(sequence).idempotencyKey();
        }
    });
    private int head;
    private long lastSequence;

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
        long keyHash = byIdempotencyKey.hash(idempotencyKey);
        long existing = byIdempotencyKey.find(idempotencyKey, keyHash);
        if (existing != IdempotencyIndex.NONE) {
            return Optional.of(new Appended(entry(existing), false));
        }
        byte[] payload = decide.apply(lastSequence + 1);
        if (payload == null) {
            return Optional.empty();
        }
        Envelope envelope = new Envelope(topic, ++lastSequence, clock.nowNs(), payload, idempotencyKey, senderInboxId);
        entries.add(envelope);
        byIdempotencyKey.add(keyHash, lastSequence);
        bytes.add(senderInboxId, payload.length);
        return Optional.of(new Appended(envelope, true));
    }

    /** The retained entry at {@code sequence}. */
    private Envelope entry(long sequence) {
        return entries.get(head + (int) (sequence - entries.get(head).sequence()));
    }

    /** Up to {@code limit} retained entries after {@code afterSequence}, in order. */
    synchronized List<Envelope> read(long afterSequence, int limit) {
        if (head == entries.size()) {
            return List.of();
        }
        long skip = Math.max(0, afterSequence - firstRetained() + 1);
        int from = (int) Math.min(entries.size(), head + skip);
        int to = (int) Math.min(entries.size(), (long) from + limit);
        return List.copyOf(entries.subList(from, to));
    }

    synchronized long lastSequence() {
        return lastSequence;
    }

    synchronized long firstRetained() {
        return head == entries.size() ? lastSequence + 1 : entries.get(head).sequence();
    }

    /**
     * Drops entries stamped before {@code oldestKeptNs} and all but the newest {@code maxCount}, taking
     * their payload bytes off {@code bytes}; returns how many.
     */
    synchronized long trim(long oldestKeptNs, long maxCount, SenderBytes bytes) {
        long removed = 0;
        while (head < entries.size()
                && (entries.size() - head > maxCount || entries.get(head).timestampNs() < oldestKeptNs)) {
            Envelope gone = entries.set(head++, null);
            byIdempotencyKey.remove(gone.idempotencyKey(), gone.sequence());
            bytes.add(gone.senderInboxId(), -gone.payload().length);
            removed++;
        }
        if (head > 1024 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
        }
        return removed;
    }
}
