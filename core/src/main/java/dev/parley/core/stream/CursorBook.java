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
    private final Map<String, Long> cursors = new LinkedHashMap<>();

    /** Follows {@code topic} after {@code cursor}; false when it is followed already (nothing changes). */
    boolean follow(String topic, long cursor) {
        return cursors.putIfAbsent(topic, cursor) == null;
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
        Long cursor = cursors.get(envelope.topic());
        if (cursor == null || envelope.sequence() <= cursor) {
            return false;
        }
        cursors.put(envelope.topic(), envelope.sequence());
        return true;
    }

    /**
     * The first sequence missing before {@code envelope}, or 0 when there is no gap: per topic the
     * node's sequences are dense, so a jump past the cursor means entries it no longer keeps.
     * Unknown for a topic whose "latest" start the node has not resolved yet.
     */
    long missingBefore(Envelope envelope) {
        Long cursor = cursors.get(envelope.topic());
        return cursor != null && cursor >= 0 && envelope.sequence() > cursor + 1 ? cursor + 1 : 0;
    }

    /** Raises a followed topic's cursor to at least {@code sequence} (where the node resolved "latest"). */
    void raise(String topic, long sequence) {
        cursors.computeIfPresent(topic, (t, cursor) -> Math.max(cursor, sequence));
    }

    /** Forgets every cursor (they belong to a history that is gone); returns them. */
    Map<String, Long> clear() {
        Map<String, Long> old = new LinkedHashMap<>(cursors);
        cursors.clear();
        return old;
    }

    /** A copy, for a subscription. */
    Map<String, Long> snapshot() {
        return new HashMap<>(cursors);
    }
}
