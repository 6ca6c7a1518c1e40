package dev.parley.node.internal.session;

import dev.parley.ProtocolException;
import dev.parley.internal.Topics;
import dev.parley.internal.util.WireLimits;
import dev.parley.node.internal.metrics.NodeMetrics;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The node side of one subscription. It reads straight from the topic logs after each topic's
 * cursor, so replay and live delivery are one mechanism and nothing is queued per subscriber:
 * a slow subscriber (no demand) simply stays behind in the log. One drain at a time delivers
 * to the listener (a work-in-progress counter; signals that arrive during a drain are picked up
 * by it). A publish hands the drain to the node's delivery executor, so the publisher's thread
 * only appends (its cost does not grow with the number of subscribers) and a busy topic reaches
 * its subscribers in batches; demand, heartbeats and topic changes drain on their own thread,
 * the subscriber's, which saves a hand-off. A drain never sends more than the subscriber asked for.
 * It sends of a conversation only what its inbox may read, looked up at every read ({@link VisibleReads}):
 * a removed member gets the entry that removed it, and then the topic is dropped quietly (no error,
 * its other topics go on).
 */
public final class NodeSubscription implements Subscription {
    private static final Logger log = LoggerFactory.getLogger(NodeSubscription.class);
    private static final int MAX_BATCH = 128;

    private final NodeStore store;
    private final PageReader reads;
    private final Fanout fanout;
    private final int maxTopics;
    private final NodeMetrics metrics;
    private final SubscriptionListener listener;
    private final Consumer<String> readCheck;
    private final Runnable onTerminated;
    private final Executor executor;
    private final AtomicInteger wip = new AtomicInteger();
    private final Runnable drainTask = this::drain;

    // guarded by this
    private final Map<String, Long> cursors = new HashMap<>();
    private final LinkedHashSet<String> ready = new LinkedHashSet<>();
    /** Topics that grew, told by the fan-out and not yet moved into {@code ready}. */
    private final Queue<TopicInterest> grown = new ConcurrentLinkedQueue<>();
    private long demand;
    private boolean heartbeatDue;
    private boolean cancelled;
    private Throwable failure;
    private boolean terminated;

    NodeSubscription(NodeStore store, PageReader reads, Fanout fanout, Executor executor, int maxTopics,
                     NodeMetrics metrics, Consumer<String> readCheck, SubscriptionListener listener,
                     Runnable onTerminated) {
        this.store = store;
        this.reads = reads;
        this.fanout = fanout;
        this.executor = executor;
        this.maxTopics = maxTopics;
        this.metrics = metrics;
        this.readCheck = readCheck;
        this.listener = listener;
        this.onTerminated = onTerminated;
    }

    /** Checks and registers the initial topics; throws (and registers nothing) when one may not be read. */
    void open(Map<String, Long> initialCursors, long initialDemand) {
        synchronized (this) {
            demand = initialDemand;
        }
        addTopicsNow(initialCursors);
    }

    @Override
    public CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> newCursors) {
        try {
            return CompletableFuture.completedFuture(addTopicsNow(newCursors));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Map<String, Long> addTopicsNow(Map<String, Long> newCursors) {
        synchronized (this) {
            long after = cursors.size() + newCursors.keySet().stream().filter(t -> !cursors.containsKey(t)).count();
            if (after > maxTopics) {
                throw new ProtocolException("a subscription follows at most " + maxTopics + " topics; this would make "
                        + after);
            }
        }
        newCursors.keySet().forEach(readCheck);
        Map<String, Long> resolved = new HashMap<>();
        synchronized (this) {
            if (terminated || cancelled || failure != null) {
                return Map.of();
            }
            newCursors.forEach((topic, cursor) -> {
                long start = cursor == Topics.LATEST ? store.lastSequence(topic) : Math.max(0, cursor);
                cursors.put(topic, start);
                ready.add(topic);
                resolved.put(topic, start);
            });
        }
        resolved.keySet().forEach(topic -> fanout.register(topic, this));
        signal();
        return resolved;
    }

    @Override
    public void removeTopics(Collection<String> topics) {
        synchronized (this) {
            topics.forEach(t -> {
                cursors.remove(t);
                ready.remove(t);
            });
        }
        topics.forEach(t -> fanout.unregister(t, this));
    }

    /**
     * Adds demand. A demand that is not positive is a broken client: the subscription ends with a
     * {@link ProtocolException} (to the listener, so the client hears it for this subscription) and
     * node and client agree it is over.
     */
    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new ProtocolException("demand must be positive, was " + n + "; subscription ended"));
            return;
        }
        synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        signal();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            cancelled = true;
        }
        signal();
    }

    /** Ends the subscription with an error delivered to the listener (connection dropped, node closing). */
    void fail(Throwable error) {
        synchronized (this) {
            if (failure == null) {
                failure = error;
            }
        }
        signal();
    }

    void heartbeat() {
        synchronized (this) {
            heartbeatDue = true;
        }
        signal();
    }

    /** {@code interest}'s topic grew (on the publisher's thread): the next drain reads it, without this lock. */
    void topicGrew(TopicInterest interest) {
        grown.offer(interest);
        if (wip.getAndIncrement() == 0) {
            drainOnExecutor();
        }
    }

    synchronized boolean isTerminated() {
        return terminated;
    }

    synchronized long demand() {
        return demand;
    }

    private void signal() {
        if (!isTerminated() && wip.getAndIncrement() == 0) {
            drain();
        }
    }

    /**
     * Publishes drain here: on the delivery executor, so the publisher's thread only appends, and a
     * subscriber that falls behind a busy topic gets its envelopes in batches.
     */
    private void drainOnExecutor() {
        try {
            executor.execute(drainTask);
        } catch (RejectedExecutionException e) {
            drain(); // the node is closing: finish on this thread
        }
    }

    private void drain() {
        int missed = 1;
        do {
            try {
                drainOnce();
            } catch (RuntimeException e) {
                log.warn("subscription listener or store read failed; ending the subscription", e);
                fail(StoreFailures.forClient(e));
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        while (true) {
            Throwable error;
            boolean closing;
            boolean beat;
            synchronized (this) {
                if (terminated) {
                    return;
                }
                error = failure;
                closing = cancelled || error != null;
                if (closing) {
                    terminated = true;
                }
                beat = heartbeatDue;
                heartbeatDue = false;
            }
            if (closing) {
                finish(error);
                return;
            }
            if (beat) {
                listener.onHeartbeat();
            }
            List<Envelope> batch = nextBatch();
            if (batch.isEmpty()) {
                return;
            }
            metrics.delivering(batch);
            listener.onEnvelopes(batch);
        }
    }

    private void finish(Throwable error) {
        List<String> topics;
        synchronized (this) {
            topics = List.copyOf(cursors.keySet());
            cursors.clear();
            ready.clear();
        }
        topics.forEach(t -> fanout.unregister(t, this));
        onTerminated.run();
        if (error != null) {
            listener.onError(error);
        } else {
            listener.onClosed();
        }
    }

    private List<Envelope> nextBatch() {
        List<String> dropped = new ArrayList<>();
        try {
            return nextBatch(dropped);
        } finally {
            dropped.forEach(t -> fanout.unregister(t, this));
        }
    }

    /**
     * The next batch to send: a page of each ready topic in turn, once round (busy topics go to the
     * back of the line, so they do not starve others), until the demand, {@link #MAX_BATCH} envelopes
     * or about a frame's worth of bytes is used up. So a subscriber of many topics that each grew by a
     * little gets one batch (one frame on the wire) per drain, not one per topic. Per topic the
     * envelopes stay in sequence order. Topics with nothing readable left go to {@code dropped}
     * (quietly: no error).
     */
    private synchronized List<Envelope> nextBatch(List<String> dropped) {
        for (TopicInterest interest; (interest = grown.poll()) != null; ) {
            interest.taken(); // before the read: what is appended from now on tells us again
            if (cursors.containsKey(interest.topic())) {
                ready.add(interest.topic());
            }
        }
        List<Envelope> batch = List.of();
        ArrayList<Envelope> merged = null;
        long bytes = 0;
        int turns = ready.size();
        while (demand > 0 && batch.size() < MAX_BATCH && bytes < WireLimits.MAX_ENVELOPE_BYTES_PER_FRAME
                && turns-- > 0) {
            String topic = ready.iterator().next();
            ready.remove(topic);
            long cursor = cursors.get(topic);
            VisibleReads.Page page = reads.read(topic, cursor, (int) Math.min(demand, MAX_BATCH - batch.size()));
            if (page.exhausted()) {
                cursors.remove(topic);
                dropped.add(topic);
            }
            List<Envelope> envelopes = page.envelopes();
            if (envelopes.isEmpty()) {
                continue;
            }
            long last = envelopes.get(envelopes.size() - 1).sequence();
            demand -= envelopes.size();
            if (!page.exhausted()) {
                cursors.put(topic, last);
                if (store.lastSequence(topic) > last) {
                    ready.add(topic); // more to send: back of the line
                }
            }
            if (batch.isEmpty()) {
                batch = envelopes;
            } else {
                if (merged == null) { // pages are the reader's lists: merge into one of our own
                    merged = new ArrayList<>(batch);
                    batch = merged;
                }
                merged.addAll(envelopes);
            }
            for (Envelope e : envelopes) {
                bytes += FramedReads.sizeOf(e);
            }
        }
        return batch;
    }

    /** Reads of a topic as this subscription's inbox may see them. */
    @FunctionalInterface
    interface PageReader {
        VisibleReads.Page read(String topic, long afterSequence, int limit);
    }
}
