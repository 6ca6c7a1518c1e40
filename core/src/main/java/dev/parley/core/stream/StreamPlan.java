package dev.parley.core.stream;

import dev.parley.spi.Envelope;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What one kind of stream follows and makes of each envelope; the engine does everything else
 * (connection, retry, cursors, demand, callbacks). Every method runs on the stream's serial executor; a
 * catch-up's work goes on elsewhere, without holding that thread.
 */
public interface StreamPlan<T> {
    /**
     * Starts bringing what the plan reads up to date before each attempt (the client's sync), unless the
     * stream was started with {@code disableSync}, and returns at once: the future completes when it is done
     * (it must wait for the node without holding a thread); a failure counts as a failed attempt.
     */
    CompletableFuture<Void> catchUp();

    /**
     * The catch-up of a restart, which runs while the stream subscribes again from {@code resumed} (its
     * own cursors): a plan may leave out what that subscription's replay brings anyway. The returned catch-up
     * is started later, on the serial executor, like {@link #catchUp()}, and the stream gets the subscription's
     * envelopes only once it is done. The default is {@link #catchUp()}.
     */
    default Supplier<CompletableFuture<Void>> restartCatchUp(Map<String, Long> resumed) {
        return this::catchUp;
    }

    /** Topics and cursors of the first subscription, read after the first catch-up. */
    Map<String, Long> initialCursors();

    /** Handles one new envelope (never a duplicate); may emit values and change topics through {@code context}. */
    void onEnvelope(Envelope envelope, StreamContext<T> context);

    /**
     * True when the entries of {@code topic} just before {@code sequence} that the stream did not get
     * were never this inbox's to read (it was not a member then), rather than lost: no
     * {@code HistoryLost} is reported for them. The default is false.
     */
    default boolean notReadable(String topic, long sequence) {
        return false;
    }

    /**
     * True when the plan's source has nothing more to give, ever (a conversation this inbox left):
     * asked once the stream is live; the stream then ends ({@code onEnd}). The default is false.
     */
    default boolean exhausted() {
        return false;
    }

    /**
     * Runs a run of envelopes (what one delivery brought) through {@link #onEnvelope}; a plan whose
     * writes should be one transaction per run wraps {@code run} in it. The default just runs it.
     */
    default void handleRun(Runnable run) {
        run.run();
    }

    /**
     * The consumer has handled everything up to {@code sequence} of {@code topic}: in push mode its
     * {@code onValue} returned, in pull mode it moved past the values (took the next one, ended the
     * stream, or a Flow subscriber's {@code onNext} returned); envelopes without values count once
     * everything before them is handled. Where durable progress is recorded: in order per topic,
     * possibly once for several envelopes (the highest), also outside {@link #handleRun}.
     */
    void processed(String topic, long sequence);

    /**
     * The stream has ended (any way) and no envelope or {@link #processed} call will follow: the
     * place to flush progress kept in memory. The default does nothing.
     */
    default void ended() {
    }

    /**
     * The history (node epoch) the plan's cursors belong to; empty when it does not track one. The
     * engine compares it when a subscription goes live: a change means the node's log was replaced
     * while the stream was subscribing, so its cursors point nowhere.
     */
    default String epoch() {
        return "";
    }

    /**
     * The node serves another history ({@code nodeEpoch}): drop every cursor of the old one (sync
     * and durable); afterwards {@link #epoch()} returns {@code nodeEpoch}. Called on the serial
     * executor; the stream then follows the topics of {@link #initialCursors()} (asked again) from the
     * beginning of the new history. Also called with the plan's own {@link #epoch()} when the plan
     * moved to a new history on another path: then only what it holds in memory of the old one goes.
     */
    default void nodeReset(String nodeEpoch) {
    }
}
