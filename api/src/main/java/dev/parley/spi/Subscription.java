package dev.parley.spi;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A live subscription to a set of topics, changed without restarting it, paced by demand. */
public interface Subscription {
    /** Cursor meaning "from the newest entry on": the node resolves it to the topic's current last sequence. */
    long LATEST = -1L;

    /**
     * Adds topics, each replayed after its cursor ({@link #LATEST}: only what comes next).
     * Completes with the cursors the node used, before any envelope of the new topics is delivered;
     * fails with {@link dev.parley.PermissionDeniedException} when one of them may not be read (then none is added).
     */
    CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> cursors);

    /** Stops delivery of these topics; envelopes already on their way may still arrive. */
    void removeTopics(Collection<String> topics);

    /** Allows the node to send {@code n} more envelopes. The node never sends more than requested. */
    void request(long n);

    /** Ends the subscription; idempotent. The listener gets {@link SubscriptionListener#onClosed}. */
    void cancel();
}
