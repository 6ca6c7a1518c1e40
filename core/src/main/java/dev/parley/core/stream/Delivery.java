package dev.parley.core.stream;

import dev.parley.HistoryLost;
import dev.parley.ParleyException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.StreamOptions;
import dev.parley.internal.Failures;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What happens to the envelopes of one stream, whichever attempt brought them: duplicates are
 * dropped by cursor, the plan turns the rest into values for the consumer (callback or bounded pull
 * buffer), demand is replenished as the consumer makes room, and the plan's topic changes reach the
 * live subscription. Serial, except where noted.
 */
final class Delivery<T> implements StreamContext<T> {
    private final StreamPlan<T> plan;
    private final Callbacks<T> callbacks;
    private final Consumer<Runnable> serial;
    private final CursorBook cursors = new CursorBook();
    private final DemandWindow demand;
    private final PullBuffer<T> buffer; // null in push mode
    private final HandledProgress progress;
    private final ConcurrentLinkedQueue<HandledProgress.Mark> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean consumerProgressQueued = new AtomicBoolean();
    private Subscription subscription;  // the live one, or null
    private boolean sourceDone;

    /** @param serial runs a task on the stream's serial executor (dropping it once the client is closed) */
    Delivery(StreamPlan<T> plan, StreamOptions<T> options, Callbacks<T> callbacks, Consumer<Runnable> serial) {
        this.plan = plan;
        this.callbacks = callbacks;
        this.serial = serial;
        this.demand = new DemandWindow(options.bufferSize());
        this.buffer = options.onValue().isPresent() ? null : new PullBuffer<>(this::consumerProgressed);
        this.progress = new HandledProgress(this::processed);
    }

    void follow(Map<String, Long> initialCursors) {
        initialCursors.forEach(cursors::follow);
    }

    Map<String, Long> cursors() {
        return cursors.snapshot();
    }

    /** Demand for a new subscription. */
    long openDemand() {
        return demand.open(buffered());
    }

    /** The subscription is live: topic changes and demand go to it from now on. */
    void attach(Subscription live) {
        subscription = live;
        replenish();
    }

    void detach() {
        subscription = null;
    }

    /** True when the node may send {@code count} more envelopes: it was granted that much demand. */
    boolean withinDemand(int count) {
        return demand.allows(count);
    }

    /** Delivers a run of envelopes in order, as one run of the plan; true when the plan completed the stream. */
    boolean deliver(List<Envelope> envelopes) {
        if (buffer != null) {
            buffer.hold(); // the consumer wakes once for the run, not once per value
        }
        try {
            handleRun(envelopes);
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
        if (sourceDone) {
            return true;
        }
        replenish();
        return false;
    }

    private void handleRun(List<Envelope> envelopes) {
        plan.handleRun(() -> {
            for (Envelope envelope : envelopes) {
                demand.delivered();
                long missingFrom = cursors.missingBefore(envelope);
                if (!sourceDone && cursors.advance(envelope)) {
                    if (missingFrom > 0 && !plan.notReadable(envelope.topic(), envelope.sequence())) {
                        historyLost(envelope.topic(), missingFrom, envelope.sequence() - 1, HistoryLost.Reason.RETENTION);
                    }
                    handle(envelope);
                }
            }
        });
    }

    private void handle(Envelope envelope) {
        progress.begin(envelope);
        try {
            plan.onEnvelope(envelope, this);
        } catch (RuntimeException e) {
            callbacks.error(e);
        } finally {
            progress.end();
        }
    }

    /**
     * The node's history was replaced: what the stream had not received of the old one is reported
     * lost, and what the plan follows now (its {@link StreamPlan#initialCursors()} after it forgot the
     * old history) starts from the new history's first entry.
     */
    void restartInNewHistory() {
        progress.forgetAll();
        cursors.clear().forEach((topic, cursor) ->
                historyLost(topic, Math.max(cursor, 0) + 1, Long.MAX_VALUE, HistoryLost.Reason.NODE_RESET));
        // what the plan follows now that its store forgot the old history, each from its first entry
        plan.initialCursors().keySet().forEach(topic -> cursors.follow(topic, 0));
    }

    /** Reports history the stream will never deliver: the conversation's, or for an inbox's own logs the topic's. */
    void historyLost(String topic, long from, long to, HistoryLost.Reason reason) {
        String conversation = Topics.kind(topic).equals(Topics.CONVERSATION) ? Topics.subject(topic) : topic;
        callbacks.historyLost(new HistoryLost(conversation, from, to, reason));
    }

    private void processed(String topic, long sequence) {
        try {
            plan.processed(topic, sequence);
        } catch (RuntimeException e) {
            callbacks.error(e);
        }
    }

    @Override
    public void emit(T value) {
        if (buffer == null) {
            callbacks.value(value);
        } else {
            HandledProgress.Mark mark = progress.awaiting();
            buffer.add(value, () -> acknowledged(mark));
        }
    }

    /** The pull consumer moved past a value (its thread). */
    private void acknowledged(HandledProgress.Mark mark) {
        acknowledged.add(mark);
        consumerProgressed();
    }

    /**
     * The pull consumer took or moved past values (its thread): one task on the serial executor, queued
     * once for however many come before it runs, applies the acknowledgements in a batch and asks for
     * the room made.
     */
    private void consumerProgressed() {
        if (consumerProgressQueued.compareAndSet(false, true)) {
            serial.accept(() -> {
                consumerProgressQueued.set(false);
                List<HandledProgress.Mark> batch = new ArrayList<>();
                for (HandledProgress.Mark next; (next = acknowledged.poll()) != null; ) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    progress.handled(batch);
                }
                replenish();
            });
        }
    }

    @Override
    public void addTopic(String topic, long cursor) {
        if (cursors.follow(topic, cursor) && subscription != null) {
            Subscription on = subscription;
            on.addTopics(Map.of(topic, cursor)).whenComplete((resolved, error) ->
                    serial.accept(() -> topicAdded(on, topic, resolved, error)));
        }
    }

    private void topicAdded(Subscription on, String topic, Map<String, Long> resolved, Throwable error) {
        if (on != subscription) {
            return; // a later subscription starts from the book anyway
        }
        if (error != null) {
            ParleyException e = Failures.asParley(error);
            if (e instanceof PermissionDeniedException || e instanceof ProtocolException) {
                cursors.unfollow(topic);
                callbacks.error(e);
            }
            return; // a transport failure reaches the stream through the subscription as well
        }
        Long start = resolved.get(topic);
        if (start != null) {
            cursors.raise(topic, start);
        }
    }

    @Override
    public void removeTopic(String topic) {
        if (cursors.unfollow(topic) && subscription != null) {
            subscription.removeTopics(List.of(topic));
        }
    }

    @Override
    public boolean follows(String topic) {
        return cursors.follows(topic);
    }

    @Override
    public void complete() {
        sourceDone = true;
    }

    private void replenish() {
        if (subscription != null) {
            long more = demand.replenish(buffered());
            if (more > 0) {
                subscription.request(more);
            }
        }
    }

    /** The pull buffer; null in push mode. */
    PullBuffer<T> pullBuffer() {
        return buffer;
    }

    /** No more values: waiting consumers wake up; with {@code discard} the buffered ones go too. */
    void closeBuffer(RuntimeException failure, boolean discard) {
        if (buffer != null) {
            buffer.close(failure, discard);
        }
    }

    private long buffered() {
        return buffer == null ? 0 : buffer.size();
    }
}
