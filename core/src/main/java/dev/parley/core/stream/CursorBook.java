package dev.parley.core.stream;

import dev.parley.spi.Envelope;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per topic, the highest sequence the stream processed. A (re)subscription starts after these
 * cursors and anything at or below them is a duplicate: exactly once, in order, across any number
 * of reconnects. The stream's own book, apart from the store's, so a sync before a restart never
 * makes the stream skip what arrived during the gap. Serial.
 */
final class CursorBook {
    // a mutable cell per topic: advancing, once per envelope, neither boxes nor rehashes
    private final Map<String, Position> cursors = new LinkedHashMap<>();

    /** Follows {@code topic} after {@code cursor}; false when it is followed already (nothing changes). */
    boolean follow(String topic, long cursor) {
        return cursors.putIfAbsent(topic, new Position(cursor)) == null;
    }

    /** Stops following {@code topic}; false when it was not followed. */
    boolean unfollow(String topic) {
        return cursors.remove(topic) != null;
    }

    boolean follows(String topic) {
        return cursors.containsKey(topic);
    }

    /** Moves the cursor to the envelope's sequence; false for a duplicate or a topic not followed. */
    boolean advance(Envelope envelope) {
        Position cursor = cursors.get(envelope.topic());
        if (cursor == null || envelope.sequence() <= cursor.sequence) {
            return false;
        }
        cursor.sequence = envelope.sequence();
        return true;
    }

    /**
     * The first sequence missing before {@code envelope}, or 0 when there is no gap: per topic the
     * node's sequences are dense, so a jump past the cursor means entries it no longer keeps.
     * Unknown for a topic whose "latest" start the node has not resolved yet.
     */
    long missingBefore(Envelope envelope) {
        Position cursor = cursors.get(envelope.topic());
        return cursor != null && cursor.sequence >= 0 && envelope.sequence() > cursor.sequence + 1 ? cursor.sequence + 1 : 0;
    }

    /** Raises a followed topic's cursor to at least {@code sequence} (where the node resolved "latest"). */
    void raise(String topic, long sequence) {
        Position cursor = cursors.get(topic);
        if (cursor != null) {
            cursor.sequence = Math.max(cursor.sequence, sequence);
        }
    }

    /** Forgets every cursor (they belong to a history that is gone); returns them. */
    Map<String, Long> clear() {
        Map<String, Long> old = new LinkedHashMap<>();
        cursors.forEach((topic, cursor) -> old.put(topic, cursor.sequence));
        cursors.clear();
        return old;
    }

    /** A copy, for a subscription. */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new HashMap<>();
        cursors.forEach((topic, cursor) -> copy.put(topic, cursor.sequence));
        return copy;
    }

    private static final class Position {
        private long sequence;

        private Position(long sequence) {
            this.sequence = sequence;
        }
    }
}
