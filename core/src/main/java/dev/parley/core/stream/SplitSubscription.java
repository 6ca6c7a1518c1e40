package dev.parley.core.stream;

import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * One subscription to any number of topics, carried by as many transport subscriptions ("parts") as
 * the node's {@link SubscriptionLimits} require, so that no number of conversations (other people can
 * add anyone to as many as they like) makes a stream exceed the node's topics per subscription. Each
 * part follows at most {@code maxTopicsPerSubscription} topics and each topic lives in exactly one
 * part, so its envelopes keep their order; topics added beyond the room left go to a new part.
 *
 * <p>To its listener this is one subscription: calls never overlap, it never delivers more than was
 * requested, the failure or unexpected end of any part ends the whole (the other parts are
 * cancelled), {@link #cancel} cancels every part. It starts no thread.
 *
 * <p>Demand: while there is one part, requests pass through unchanged and nothing waits here. With
 * several, each part is granted up to {@code partDemand} envelopes of its own (a share of the
 * stream's demand could wait forever on a quiet part while a busy one starves), what the parts
 * deliver waits here until the listener asked for it, and a part is granted more once its envelopes
 * were passed on: at most {@code partDemand} envelopes per part wait here. A part that sends beyond
 * its grant, or stays silent while the other parts keep beating, fails the whole, retryably.
 *
 * <p>A connection can follow at most {@code maxTopicsPerSubscription × maxSubscriptionsPerSession}
 * topics: opening more fails, and adding beyond fails for the topics added, with a
 * {@link ProtocolException} naming both limits.
 */
final class SplitSubscription implements Subscription {
    private static final Logger log = LoggerFactory.getLogger(SplitSubscription.class);
    /** A part that heard nothing while the parts beat this many times each is taken for dead. */
    static final int SILENT_BEATS_PER_PART = 4;

    private final Transport transport;
    private final SubscriptionLimits limits;
    private final long partDemand;
    private final SubscriptionListener listener;

    // guarded by this
    private final List<Part> parts = new ArrayList<>();
    private final Map<String, Part> partOf = new HashMap<>();
    private final ArrayDeque<Held> waiting = new ArrayDeque<>();
    private long requested;      // by the listener, not yet passed on
    private boolean pooled;      // ever more than one part: parts have demand of their own
    private boolean heartbeatDue;
    private long beats;          // heartbeats of every part, for telling a silent part
    private Throwable failure;   // the whole failed: onError
    private boolean closing;     // cancelled, or a part ended: onClosed
    private boolean ended;       // the last event was sent (or is not wanted)
    private boolean emitting;    // a thread is calling the listener

    private SplitSubscription(Transport transport, SubscriptionLimits limits, long partDemand,
                              SubscriptionListener listener) {
        this.transport = transport;
        this.limits = limits;
        this.partDemand = partDemand;
        this.listener = listener;
    }

    /**
     * Subscribes to {@code cursors} within the limits {@code transport} reports. Completes once every
     * part was accepted; fails (and leaves nothing open) when one was not.
     *
     * @param partDemand what each part may be granted of its own once there are several (the stream's window)
     */
    static CompletableFuture<Subscription> open(Transport transport, Map<String, Long> cursors, long initialDemand,
                                                long partDemand, SubscriptionListener listener) {
        SubscriptionLimits limits = transport.subscriptionLimits();
        List<Map<String, Long>> chunks = chunks(cursors, limits.maxTopicsPerSubscription());
        if (chunks.size() > limits.maxSubscriptionsPerSession()) {
            return CompletableFuture.failedFuture(tooManyTopics(cursors.size(), limits));
        }
        return new SplitSubscription(transport, limits, Math.max(1, partDemand), listener).openParts(chunks, initialDemand);
    }

    private CompletableFuture<Subscription> openParts(List<Map<String, Long>> chunks, long initialDemand) {
        List<Part> opening = new ArrayList<>();
        synchronized (this) {
            requested = initialDemand;
            pooled = chunks.size() > 1;
            for (Map<String, Long> chunk : chunks) {
                opening.add(newPart(chunk.keySet(), pooled ? partDemand : initialDemand));
            }
        }
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            accepted.add(opening.get(i).subscribe(chunks.get(i)));
        }
        return CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).handle((v, error) -> {
            if (error != null) {
                abandon(); // the caller hears of it through this future, the listener hears nothing
                throw new CompletionException(Failures.unwrap(error));
            }
            return this;
        });
    }

    /** The topics in parts of at most {@code size}; one empty part for no topics. */
    private static List<Map<String, Long>> chunks(Map<String, Long> cursors, int size) {
        List<Map<String, Long>> chunks = new ArrayList<>();
        Map<String, Long> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : cursors.entrySet()) {
            if (chunk.size() == size) {
                chunks.add(chunk);
                chunk = new LinkedHashMap<>();
            }
            chunk.put(entry.getKey(), entry.getValue());
        }
        chunks.add(chunk);
        return chunks;
    }

    private static ProtocolException tooManyTopics(long topics, SubscriptionLimits limits) {
        return new ProtocolException("a stream of " + topics + " topics is more than one connection may follow: the node"
                + " allows at most " + limits.maxTopicsPerSubscription() + " topics per subscription and "
                + limits.maxSubscriptionsPerSession() + " subscriptions per connection ("
                + limits.maxTopicsPerSession() + " topics); deny the conversations you do not want to stream");
    }

    @Override
    public CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> cursors) {
        Map<Part, Map<String, Long>> placed = new LinkedHashMap<>();
        Set<Part> created = new HashSet<>();
        List<String> unplaced = new ArrayList<>(); // new to this subscription
        Grant grant = Grant.NONE;
        synchronized (this) {
            if (isOver()) {
                return CompletableFuture.failedFuture(new TransportException("the subscription has ended", true));
            }
            cursors.keySet().forEach(topic -> {
                Part part = partOf.get(topic);
                if (part != null) {
                    placed.computeIfAbsent(part, p -> new LinkedHashMap<>()).put(topic, cursors.get(topic));
                } else {
                    unplaced.add(topic);
                }
            });
            long room = parts.stream().mapToLong(this::room).sum();
            long newParts = Math.max(0, unplaced.size() - room + limits.maxTopicsPerSubscription() - 1)
                    / limits.maxTopicsPerSubscription();
            if (parts.size() + newParts > limits.maxSubscriptionsPerSession()) {
                return CompletableFuture.failedFuture(tooManyTopics(partOf.size() + unplaced.size(), limits));
            }
            for (String topic : unplaced) {
                Part part = parts.stream().filter(p -> room(p) > 0).findFirst().orElse(null);
                if (part == null) {
                    part = newPart(Set.of(), partDemand);
                    created.add(part);
                }
                part.topics.add(topic);
                partOf.put(topic, part);
                placed.computeIfAbsent(part, p -> new LinkedHashMap<>()).put(topic, cursors.get(topic));
            }
            if (!created.isEmpty() && !pooled) {
                pooled = true; // the first part now needs demand of its own too
                grant = regrant(parts.get(0));
            }
        }
        grant.send();
        created.forEach(part -> part.subscribe(Map.of()));
        List<CompletableFuture<Map<String, Long>>> added = new ArrayList<>();
        placed.forEach((part, subset) -> added.add(part.addTopics(subset)));
        return CompletableFuture.allOf(added.toArray(CompletableFuture[]::new)).handle((v, error) -> {
            if (error != null) {
                undoAdd(placed, added, Set.copyOf(unplaced)); // none is added when one may not be
                throw new CompletionException(Failures.unwrap(error));
            }
            Map<String, Long> resolved = new HashMap<>();
            added.forEach(f -> resolved.putAll(f.join()));
            return resolved;
        });
    }

    /** Takes back the topics {@code fresh} to this subscription from the parts that added them. */
    private void undoAdd(Map<Part, Map<String, Long>> placed, List<CompletableFuture<Map<String, Long>>> added,
                         Set<String> fresh) {
        int i = 0;
        for (Map.Entry<Part, Map<String, Long>> entry : placed.entrySet()) {
            Part part = entry.getKey();
            List<String> topics = entry.getValue().keySet().stream().filter(fresh::contains).toList();
            if (!added.get(i++).isCompletedExceptionally() && !topics.isEmpty()) {
                part.whenOpen((s, e) -> {
                    if (s != null) {
                        s.removeTopics(topics);
                    }
                });
            }
            synchronized (this) {
                topics.forEach(topic -> {
                    if (partOf.remove(topic, part)) {
                        part.topics.remove(topic);
                    }
                });
            }
        }
    }

    @Override
    public void removeTopics(Collection<String> topics) {
        Map<Part, List<String>> byPart = new LinkedHashMap<>();
        synchronized (this) {
            for (String topic : topics) {
                Part part = partOf.remove(topic);
                if (part != null) {
                    part.topics.remove(topic);
                    byPart.computeIfAbsent(part, p -> new ArrayList<>()).add(topic);
                }
            }
        }
        byPart.forEach((part, subset) -> part.whenOpen((s, e) -> {
            if (s != null) {
                s.removeTopics(subset);
            }
        }));
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("demand must be positive, was " + n);
        }
        Grant grant = Grant.NONE;
        synchronized (this) {
            if (isOver()) {
                return;
            }
            requested = plus(requested, n);
            if (!pooled) {
                grant = grant(parts.get(0), n); // one part: the listener's demand is the part's
            }
        }
        grant.send();
        drain();
    }

    @Override
    public void cancel() {
        endWith(null, null);
    }

    /** Ends every part without telling the listener (opening failed: the caller is told instead). */
    private void abandon() {
        List<Subscription> open;
        synchronized (this) {
            ended = true;
            waiting.clear();
            open = openSubscriptions(null);
        }
        cancelAll(open);
    }

    private boolean isOver() {
        return ended || closing || failure != null;
    }

    private long room(Part part) {
        return part.failedToOpen ? 0 : limits.maxTopicsPerSubscription() - part.topics.size();
    }

    private Part newPart(Set<String> topics, long demand) {
        Part part = new Part(demand);
        part.topics.addAll(topics);
        topics.forEach(topic -> partOf.put(topic, part));
        parts.add(part);
        return part;
    }

    /** What a part may be granted now that parts have demand of their own: up to {@code partDemand} in flight. */
    private Grant regrant(Part part) {
        long free = partDemand - part.credit - part.held;
        boolean worthIt = free >= Math.max(1, partDemand / 4) || (free > 0 && part.credit == 0);
        return worthIt ? grant(part, free) : Grant.NONE;
    }

    /** Counts {@code n} more for {@code part}; sent now, or once the part is open. */
    private Grant grant(Part part, long n) {
        part.credit = plus(part.credit, n);
        if (part.subscription == null) {
            part.unsent = plus(part.unsent, n);
            return Grant.NONE;
        }
        return new Grant(part.subscription, n);
    }

    private List<Subscription> openSubscriptions(Part except) {
        List<Subscription> open = new ArrayList<>();
        parts.stream().filter(p -> p != except && p.subscription != null).forEach(p -> open.add(p.subscription));
        return open;
    }

    private static void cancelAll(List<Subscription> subscriptions) {
        for (Subscription s : subscriptions) {
            try {
                s.cancel();
            } catch (RuntimeException e) {
                log.debug("cancelling a broken part failed", e); // it is gone either way
            }
        }
    }

    private void delivered(Part part, List<Envelope> envelopes) {
        TransportException violation = null;
        boolean straightThrough = false;
        synchronized (this) {
            if (isOver()) {
                return;
            }
            if (envelopes.size() > part.credit) {
                violation = new TransportException("node sent " + envelopes.size() + " envelopes beyond the demand it"
                        + " was granted (" + part.credit + "); resubscribing", true);
            } else {
                part.credit -= envelopes.size();
                part.heardAt = beats;
                if (!pooled && waiting.isEmpty() && !emitting) {
                    // one part and nothing waiting: its grant is the listener's demand, so the run goes on as it is
                    requested -= envelopes.size();
                    emitting = true;
                    straightThrough = true;
                } else {
                    part.held += envelopes.size();
                    envelopes.forEach(e -> waiting.add(new Held(part, e)));
                }
            }
        }
        if (violation != null) {
            endWith(violation, null);
            return;
        }
        if (straightThrough) {
            try {
                listener.onEnvelopes(envelopes);
            } finally {
                synchronized (this) {
                    emitting = false;
                }
            }
        }
        drain();
    }

    private void heartbeat(Part part) {
        TransportException silent = null;
        synchronized (this) {
            if (isOver()) {
                return;
            }
            beats++;
            part.heardAt = beats;
            heartbeatDue = true;
            long open = parts.stream().filter(p -> p.subscription != null).count();
            if (open > 1 && parts.stream().anyMatch(p -> p.subscription != null
                    && beats - p.heardAt > SILENT_BEATS_PER_PART * open)) {
                silent = new TransportException("one of the " + open + " subscriptions of this stream fell silent"
                        + " while the others kept beating; resubscribing", true);
            }
        }
        if (silent != null) {
            endWith(silent, null);
        } else {
            drain();
        }
    }

    /**
     * Ends the whole, once: every part but {@code except} (which ended already) is cancelled, what
     * waits is dropped, and the listener hears {@code error}, or {@code onClosed} when it is null.
     */
    private void endWith(Throwable error, Part except) {
        List<Subscription> others;
        synchronized (this) {
            if (isOver()) {
                return; // closed because this subscription is ending
            }
            if (error != null) {
                failure = error;
            } else {
                closing = true;
            }
            waiting.clear();
            others = openSubscriptions(except);
        }
        cancelAll(others);
        drain();
    }

    /**
     * Passes on what is due (envelopes as far as requested, a heartbeat, the end) from one thread at
     * a time; a thread that finds another emitting leaves its work to it.
     */
    private void drain() {
        while (true) {
            List<Envelope> batch = List.of();
            List<Grant> grants = new ArrayList<>();
            boolean beat;
            Throwable error = null;
            boolean close = false;
            synchronized (this) {
                if (emitting || ended) {
                    return;
                }
                if (failure != null || closing) {
                    ended = true;
                    error = failure;
                    close = failure == null;
                    beat = false;
                } else {
                    batch = take(grants);
                    beat = heartbeatDue;
                    heartbeatDue = false;
                    if (batch.isEmpty() && !beat) {
                        return;
                    }
                }
                emitting = true;
            }
            try {
                grants.forEach(Grant::send);
                if (!batch.isEmpty()) {
                    listener.onEnvelopes(batch);
                }
                if (beat) {
                    listener.onHeartbeat();
                }
                if (error != null) {
                    listener.onError(error);
                } else if (close) {
                    listener.onClosed();
                }
            } finally {
                synchronized (this) {
                    emitting = false;
                }
            }
        }
    }

    /** The waiting envelopes the listener asked for; with several parts, grants the parts they came from. */
    private List<Envelope> take(List<Grant> grants) {
        int n = (int) Math.min(requested, waiting.size());
        if (n == 0) {
            return List.of();
        }
        List<Envelope> batch = new ArrayList<>(n);
        Set<Part> from = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Held held = waiting.poll();
            held.part.held--;
            from.add(held.part);
            batch.add(held.envelope);
        }
        requested -= n;
        if (pooled) {
            from.forEach(part -> grants.add(regrant(part)));
        }
        return batch;
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** An envelope a part delivered, waiting for the listener's demand. */
    private record Held(Part part, Envelope envelope) {
    }

    /** Demand for one part, sent outside the lock (a transport may deliver at once, on this thread). */
    private record Grant(Subscription subscription, long n) {
        static final Grant NONE = new Grant(null, 0);

        void send() {
            if (subscription != null && n > 0) {
                subscription.request(n);
            }
        }
    }

    /** One transport subscription of the whole, and its listener. */
    private final class Part implements SubscriptionListener {
        final Set<String> topics = new HashSet<>(); // guarded by the split
        final long initialDemand;
        long credit;          // granted, not yet delivered; guarded by the split
        long held;            // delivered, waiting for the listener's demand; guarded by the split
        long unsent;          // granted while opening; guarded by the split
        long heardAt;         // beats when last heard; guarded by the split
        Subscription subscription; // once open; guarded by the split
        boolean failedToOpen;      // guarded by the split
        List<BiConsumer<Subscription, Throwable>> pending = new ArrayList<>(); // until open; guarded by the split
        Throwable openFailure;     // guarded by the split

        Part(long initialDemand) {
            this.initialDemand = initialDemand;
            this.credit = initialDemand;
        }

        /** Opens this part with {@code cursors}; completes once the node accepted it. */
        CompletableFuture<Void> subscribe(Map<String, Long> cursors) {
            CompletableFuture<Void> accepted = new CompletableFuture<>();
            whenOpen((s, e) -> {
                if (e != null) {
                    accepted.completeExceptionally(e);
                } else {
                    accepted.complete(null);
                }
            });
            CompletableFuture<Subscription> opened;
            try {
                opened = transport.subscribe(cursors, initialDemand, this);
            } catch (RuntimeException e) {
                opened = CompletableFuture.failedFuture(e);
            }
            opened.whenComplete(this::opened);
            return accepted;
        }

        CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> subset) {
            CompletableFuture<Map<String, Long>> added = new CompletableFuture<>();
            whenOpen((s, e) -> {
                if (e != null) {
                    added.completeExceptionally(e);
                    return;
                }
                s.addTopics(subset).whenComplete((m, error) -> {
                    if (error != null) {
                        added.completeExceptionally(error);
                    } else {
                        added.complete(m);
                    }
                });
            });
            return added;
        }

        /** Runs {@code op} with the open subscription (or why it did not open), in the order asked. */
        void whenOpen(BiConsumer<Subscription, Throwable> op) {
            Subscription open;
            Throwable failed;
            synchronized (SplitSubscription.this) {
                if (pending != null) {
                    pending.add(op);
                    return;
                }
                open = subscription;
                failed = openFailure;
            }
            op.accept(open, failed);
        }

        private void opened(Subscription sub, Throwable error) {
            List<BiConsumer<Subscription, Throwable>> ops;
            long unsentDemand;
            boolean over;
            synchronized (SplitSubscription.this) {
                ops = pending;
                pending = null;
                over = error == null && isOver();
                if (error != null) {
                    failedToOpen = true;
                    openFailure = Failures.unwrap(error);
                    parts.remove(this);
                    topics.forEach(topic -> partOf.remove(topic, this));
                    topics.clear();
                } else if (over) {
                    openFailure = new TransportException("the subscription has ended", true);
                } else {
                    subscription = sub;
                    heardAt = beats; // silence counts from here: opening may take a while
                }
                unsentDemand = unsent;
                unsent = 0;
            }
            if (over) {
                cancelAll(List.of(sub));
            }
            for (BiConsumer<Subscription, Throwable> op : ops) {
                op.accept(subscription(), openFailure());
            }
            if (!over && error == null && unsentDemand > 0) {
                sub.request(unsentDemand);
            }
        }

        private Subscription subscription() {
            synchronized (SplitSubscription.this) {
                return subscription;
            }
        }

        private Throwable openFailure() {
            synchronized (SplitSubscription.this) {
                return openFailure;
            }
        }

        @Override
        public void onEnvelope(Envelope envelope) {
            delivered(this, List.of(envelope));
        }

        @Override
        public void onEnvelopes(List<Envelope> envelopes) {
            delivered(this, envelopes);
        }

        @Override
        public void onHeartbeat() {
            heartbeat(this);
        }

        @Override
        public void onError(Throwable error) {
            endWith(error, this);
        }

        @Override
        public void onClosed() {
            endWith(null, this); // the node ended a part: the whole ends as one subscription would
        }
    }
}
