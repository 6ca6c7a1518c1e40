package dev.parley.node.internal.log;

import dev.parley.spi.Envelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The append-only log of one topic: node-assigned sequences from 1, idempotent appends. Thread-safe. */
public final class TopicLog {
    private final String topic;
    private final List<Envelope> entries = new ArrayList<>();
    private final Map<String, Envelope> byIdempotencyKey = new HashMap<>();

    public TopicLog(String topic) {
        this.topic = topic;
    }

    /** Result of an append: the envelope, and whether it is new (false when the key was seen before). */
    public record Appended(Envelope envelope, boolean isNew) {
    }

    public synchronized Appended append(byte[] payload, String idempotencyKey, String senderInboxId, NodeClock clock) {
        Envelope existing = byIdempotencyKey.get(idempotencyKey);
        if (existing != null) {
            return new Appended(existing, false);
        }
        Envelope envelope = new Envelope(topic, entries.size() + 1L, clock.nowNs(), payload, idempotencyKey,
                senderInboxId);
        entries.add(envelope);
        byIdempotencyKey.put(idempotencyKey, envelope);
        return new Appended(envelope, true);
    }

    /** Up to {@code limit} envelopes after {@code afterSequence}, in order. */
    public synchronized List<Envelope> read(long afterSequence, int limit) {
        int from = (int) Math.max(0, Math.min(afterSequence, entries.size()));
        int to = (int) Math.min(entries.size(), (long) from + limit);
        return List.copyOf(entries.subList(from, to));
    }

    public synchronized long lastSequence() {
        return entries.size();
    }
}
