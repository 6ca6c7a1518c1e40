package dev.parley.core.conversation;

import dev.parley.core.store.MessageStore;
import dev.parley.core.stream.StreamContext;
import dev.parley.core.stream.StreamPlan;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A stream over the client's local store: it catches up by syncing, starts its topics at the
 * store's cursors, and advances those cursors as envelopes are stored. Only for topics it follows
 * from the store's cursor or from the start: a topic followed from "latest" skipped history the
 * store has not seen, so the store's cursor must not claim it. A durable stream starts at its own
 * cursors instead ({@link DurableCursors}) and records what its consumer handled. Each delivered
 * run is one store transaction, and moves each topic's cursor once, at its end, to the last envelope
 * of the run (what the run stored is visible with it: a durable store commits both at once).
 */
abstract class LocalStorePlan<T> implements StreamPlan<T> {
    private final MessageStore store;
    private final NodeHistory history;
    private final Syncer syncer;
    private final Set<String> continuous = new HashSet<>(); // serial
    private final DurableCursors durable; // null unless durable
    private String followedEpoch; // the node history the stream's envelopes come from
    private boolean inRun;
    private final Map<String, long[]> runCursors = new HashMap<>(); // serial: per topic, the run's last sequence
    // serial: the topic (that instance) of the run's last envelope that moved a cursor, and its cell in runCursors;
    // a run is mostly one topic's envelopes sharing one topic string, so they skip the set and the map
    private String runTopic;
    private long[] runCell;

    LocalStorePlan(MessageStore store, Syncer syncer, DurableCursors durable) {
        this.store = store;
        this.history = new NodeHistory(store);
        this.syncer = syncer;
        this.durable = durable;
        this.followedEpoch = history.epoch();
    }

    @Override
    public final CompletableFuture<Void> catchUp() {
        return syncer.syncAsync(topic -> false);
    }

    /**
     * Syncs all but the messages of the topics this stream stores itself from a cursor at or below the
     * store's: the restart's subscription replays those from there, and storing what it replays is this
     * plan's job ({@link #onEnvelope}), so the sync would only read them twice. A topic the stream stops
     * following once consent is applied ({@link #keepsFollowing}) is synced as before.
     */
    @Override
    public final Supplier<CompletableFuture<Void>> restartCatchUp(Map<String, Long> resumed) {
        Set<String> replayed = new HashSet<>();
        resumed.forEach((topic, cursor) -> {
            if (continuous.contains(topic) && cursor >= 0 && cursor <= store.cursor(topic)) {
                replayed.add(topic);
            }
        });
        return () -> syncer.syncAsync(topic -> replayed.contains(topic) && keepsFollowing(topic));
    }

    /**
     * True when the stream goes on following {@code topic} with the store as it is now (the catch-up
     * applied welcomes and consent); asked on a pool thread. The default is true.
     */
    boolean keepsFollowing(String topic) {
        return true;
    }

    @Override
    public boolean notReadable(String topic, long sequence) {
        return MembershipGaps.endsAt(store, topic, sequence);
    }

    /**
     * Handles the envelope ({@link #handle}), then moves the store's cursor past it where that is true:
     * at once outside a run, at the end of the run inside one.
     */
    @Override
    public final void onEnvelope(Envelope envelope, StreamContext<T> context) {
        try {
            handle(envelope, context);
        } finally {
            String topic = envelope.topic();
            if (inRun && topic == runTopic) { // the run's topic again: followed, its cell known
                runCell[0] = Math.max(runCell[0], envelope.sequence());
            } else if (continuous.contains(topic)) {
                if (inRun) {
                    long[] last = runCursors.computeIfAbsent(topic, t -> new long[1]);
                    last[0] = Math.max(last[0], envelope.sequence());
                    runTopic = topic;
                    runCell = last;
                } else {
                    store.advanceCursor(topic, envelope.sequence());
                }
            }
        }
    }

    /** What the stream makes of one new envelope (it is stored by the time this returns). */
    abstract void handle(Envelope envelope, StreamContext<T> context);

    /**
     * One transaction per delivered run: what it stores, the sync cursors and the durable progress it
     * made; of the history the stream follows, so that a run of a history the store forgot meanwhile
     * (another path met the node's new one) writes nothing.
     */
    @Override
    public final void handleRun(Runnable run) {
        store.inTransaction(followedEpoch, () -> {
            inRun = true;
            try {
                run.run();
            } finally {
                inRun = false;
                advanceRunCursors();
                if (durable != null) {
                    durable.flush();
                }
            }
        });
    }

    private void advanceRunCursors() {
        runTopic = null;
        runCell = null;
        if (!runCursors.isEmpty()) {
            runCursors.forEach((topic, last) -> store.advanceCursor(topic, last[0]));
            runCursors.clear();
        }
    }

    /** The store's sync cursors follow what is stored; a durable stream records here what was handled. */
    @Override
    public void processed(String topic, long sequence) {
        if (durable != null) {
            durable.handled(topic, sequence);
            if (!inRun) {
                durable.flush(); // a batch of pull-mode acknowledgements; inside a run, the run's commit takes it
            }
        }
    }

    @Override
    public void ended() {
        if (durable != null) {
            durable.flush();
        }
    }

    @Override
    public final String epoch() {
        return history.epoch();
    }

    /** The store forgets the old history (its conversations, messages and cursors); topics are asked again. */
    @Override
    public final void nodeReset(String nodeEpoch) {
        history.adopt(nodeEpoch);
        followedEpoch = nodeEpoch;
        continuous.clear();
        runCursors.clear(); // of the old history
        runTopic = null;
        runCell = null;
        if (durable != null) {
            durable.reset(); // handled progress of the old history must not be written into the new one
        }
    }

    /** Where {@code topic} starts in the first subscription: the store's cursor, or a durable stream's own. */
    final long fromStore(String topic) {
        continuous.add(topic);
        long cursor = store.cursor(topic);
        return durable == null ? cursor : durable.start(topic, cursor);
    }

    /**
     * Follows {@code topic} from after {@code cursor}, where its history starts for this inbox (a
     * conversation created, or this inbox added to it, after the stream started).
     */
    final void followFrom(StreamContext<T> context, String topic, long cursor) {
        continuous.add(topic);
        if (durable != null) {
            durable.followed(topic, cursor);
        }
        context.addTopic(topic, cursor);
    }

    /** Follows {@code topic} from its next entry on. */
    final void followFromNow(StreamContext<T> context, String topic) {
        continuous.remove(topic);
        runTopic = null; // its later envelopes of this run no longer move the cursor
        runCell = null;
        context.addTopic(topic, Subscription.LATEST);
    }
}
