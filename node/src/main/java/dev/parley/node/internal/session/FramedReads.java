package dev.parley.node.internal.session;

import dev.parley.internal.util.WireLimits;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads of a topic that fit in one frame: a query result and a delivered batch carry at most
 * {@link WireLimits#MAX_ENVELOPE_BYTES_PER_FRAME} of envelopes, whatever their payloads, and
 * always at least one envelope (one fits, by the payload limit). The store is read in growing
 * chunks, so a page of large envelopes does not load a thousand of them to keep two.
 */
final class FramedReads {
    /** Envelope fields besides payload and strings on the wire: tags, lengths, sequence, timestamp. */
    private static final int ENVELOPE_OVERHEAD = 48;
    private static final int FIRST_CHUNK = 16;

    private FramedReads() {
    }

    /** Up to {@code limit} envelopes of {@code topic} after {@code afterSequence}, at most one frame's worth. */
    static List<Envelope> read(NodeStore store, String topic, long afterSequence, int limit) {
        return read(store, topic, afterSequence, limit, WireLimits.MAX_ENVELOPE_BYTES_PER_FRAME);
    }

    static List<Envelope> read(NodeStore store, String topic, long afterSequence, int limit, long budget) {
        List<Envelope> page = new ArrayList<>();
        long bytes = 0;
        long after = afterSequence;
        int chunk = FIRST_CHUNK;
        while (page.size() < limit) {
            int want = Math.min(chunk, limit - page.size());
            List<Envelope> read = store.read(topic, after, want);
            for (Envelope envelope : read) {
                long size = sizeOf(envelope);
                if (!page.isEmpty() && bytes + size > budget) {
                    return page;
                }
                page.add(envelope);
                bytes += size;
                after = envelope.sequence();
            }
            if (read.size() < want) {
                return page;
            }
            chunk = Math.min(chunk * 4, RequestLimits.MAX_QUERY_LIMIT);
        }
        return page;
    }

    /** About the envelope's serialized size (strings counted in chars; the budget's slack covers non-ASCII keys). */
    static long sizeOf(Envelope e) {
        return (long) e.payload().length + e.topic().length() + e.idempotencyKey().length()
                + e.senderInboxId().length() + ENVELOPE_OVERHEAD;
    }
}
