package dev.parley.core.stream;

import dev.parley.spi.Envelope;

import java.util.Map;

/**
 * What one kind of stream follows and makes of each envelope; the engine does everything else
 * (connection, retry, cursors, demand, callbacks). Every method but {@link #catchUp()} runs on the
 * stream's serial executor.
 */
public interface StreamPlan<T> {
    /**
     * Brings what the plan reads up to date before each attempt (the client's sync), unless the
     * stream was started with {@code disableSync}. Runs on a pool thread; a failure counts as a
     * failed attempt.
     */
    void catchUp();

    /** Topics and cursors of the first subscription, read after the first catch-up. */
    Map<String, Long> initialCursors();

    /** Handles one new envelope (never a duplicate); may emit values and change topics through {@code context}. */
    void onEnvelope(Envelope envelope, StreamContext<T> context);

    /**
     * The stream is done with the envelope at {@code sequence} of {@code topic}: its values went to
     * the consumer (pull mode: into the bounded buffer). Called once per envelope, in order per
     * topic, also when {@link #onEnvelope} threw; where progress is recorded.
     */
    void processed(String topic, long sequence);
}
