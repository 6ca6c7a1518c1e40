package dev.parley.core.stream;

import dev.parley.spi.Envelope;

import java.util.Map;

/**
 * What one kind of stream subscribes to and makes of each envelope; the engine does everything
 * else (connection, retry, cursors, demand, callbacks). Called on the stream's serial executor,
 * except {@link #initialCursors()}, which may run on any one thread before the first subscription.
 */
public interface StreamPlan<T> {
    /** Topics and cursors of the first subscription, read after the optional sync. */
    Map<String, Long> initialCursors();

    /** Handles one new envelope (never a duplicate); may emit values and change topics through {@code context}. */
    void onEnvelope(Envelope envelope, StreamContext<T> context);
}
