package dev.parley.core.stream;

import dev.parley.core.UnsupportedTransport;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One subscription over several transport subscriptions, as the node's limits require, and one contract to its listener. */
@Timeout(60)
class SplitSubscriptionTest {
    private final Parts node = new Parts(new SubscriptionLimits(3, 10));
    private final Recorder listener = new Recorder();

    @Test
    void topicsAreSplitIntoPartsWithinTheLimitAndEachTopicLivesInExactlyOnePart() {
        Subscription split = open(topics(0, 7), 10, 8);
        assertThat(node.parts).hasSize(3);
        assertThat(node.parts).allSatisfy(p -> assertThat(p.topics).hasSizeLessThanOrEqualTo(3));

        assertThat(split.addTopics(Map.of("t7", 0L, "t8", 0L, "t9", Subscription.LATEST)).join())
                .containsOnlyKeys("t7", "t8", "t9");
        assertThat(node.parts).as("two fit the last part, one needs a new one").hasSize(4);
        assertThat(node.parts).allSatisfy(p -> assertThat(p.topics).hasSizeLessThanOrEqualTo(3));
        assertThat(node.allTopics()).as("every topic in exactly one part").hasSize(10)
                .containsExactlyInAnyOrderElementsOf(topics(0, 10).keySet());

        split.removeTopics(List.of("t0", "t1"));
        split.addTopics(Map.of("t10", 0L, "t11", 0L)).join();
        assertThat(node.parts).as("room freed by a removal is used again").hasSize(4);
        assertThat(node.parts.get(0).topics).containsExactlyInAnyOrder("t2", "t10", "t11");
    }

    @Test
    void withOnePartDemandPassesThroughUnchanged() {
        Subscription split = open(topics(0, 2), 5, 100);
        Part only = node.parts.get(0);
        assertThat(only.initialDemand).isEqualTo(5);
        only.deliver("t0", 1, 2, 3);
        assertThat(listener.sequences("t0")).containsExactly(1L, 2L, 3L);
        listener.request(3);
        assertThat(only.requested.get()).isEqualTo(3);
    }

    @Test
    void acrossPartsTheWholeNeverDeliversMoreThanWasRequested() {
        Subscription split = open(topics(0, 9), 4, 6);
        assertThat(node.parts).hasSize(3).allSatisfy(p -> assertThat(p.initialDemand).isEqualTo(6));
        for (Part part : node.parts) {
            String topic = part.topics.iterator().next();
            part.deliver(topic, 1, 2, 3, 4, 5, 6); // each part uses its own grant in full
        }
        assertThat(listener.count()).as("only what was requested").isEqualTo(4);
        assertThat(node.parts).as("a part is granted again only what it passed on")
                .allSatisfy(p -> assertThat(p.requested.get()).isLessThanOrEqualTo(6));

        listener.request(10);
        assertThat(listener.count()).isEqualTo(14);
        listener.request(100);
        assertThat(listener.count()).as("all 18 that waited").isEqualTo(18);
        assertThat(node.parts).as("each part granted again what it passed on")
                .allSatisfy(p -> assertThat(p.initialDemand + p.requested.get() - p.sent.get()).isEqualTo(6));
        assertThat(listener.maxOutstandingExceeded).isFalse();
    }

    @Test
    void aPartThatSendsBeyondItsGrantFailsTheWholeRetryably() {
        open(topics(0, 6), 10, 2);
        Part first = node.parts.get(0);
        first.deliver("t0", 1, 2, 3);
        assertThat(listener.errors).singleElement().isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e).hasMessageContaining("beyond the demand");
        });
        assertThat(listener.count()).isZero();
        assertThat(node.parts).allSatisfy(p -> assertThat(p.cancelled).isTrue());
    }

    @Test
    void cancelCancelsEveryPartAndTheListenerHearsOneCloseAndNothingAfter() {
        Subscription split = open(topics(0, 9), 0, 4);
        node.parts.get(1).deliver("t3", 1); // waits: nothing requested
        split.cancel();
        split.cancel();
        assertThat(node.parts).allSatisfy(p -> assertThat(p.cancelled).isTrue());
        node.parts.forEach(p -> p.listener.onClosed());
        node.parts.get(2).deliver("t6", 1);
        split.request(5);
        assertThat(listener.closed).hasValue(1);
        assertThat(listener.count()).isZero();
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void onePartFailingFailsTheWholeOnceAndCancelsTheOtherParts() {
        open(topics(0, 9), 10, 4);
        TransportException lost = new TransportException("part lost", true);
        node.parts.get(1).listener.onError(lost);
        node.parts.get(2).listener.onError(new TransportException("also lost", true));
        assertThat(listener.errors).containsExactly(lost);
        assertThat(node.parts.get(0).cancelled).isTrue();
        assertThat(node.parts.get(2).cancelled).isTrue();
        node.parts.get(0).deliver("t0", 1);
        assertThat(listener.count()).isZero();
    }

    @Test
    void aPartTheNodeEndsEndsTheWhole() {
        open(topics(0, 6), 10, 4);
        node.parts.get(0).listener.onClosed();
        assertThat(listener.closed).hasValue(1);
        assertThat(node.parts.get(1).cancelled).isTrue();
    }

    @Test
    void aPartThatFallsSilentWhileTheOthersBeatFailsTheWholeRetryably() {
        open(topics(0, 6), 10, 4);
        Part beating = node.parts.get(0);
        for (int i = 0; i < 2 * SplitSubscription.SILENT_BEATS_PER_PART; i++) {
            beating.listener.onHeartbeat();
        }
        assertThat(listener.errors).as("two intervals of beats: still within bounds").isEmpty();
        assertThat(listener.heartbeats.get()).isPositive();
        for (int i = 0; i < 2 * SplitSubscription.SILENT_BEATS_PER_PART; i++) {
            beating.listener.onHeartbeat();
        }
        assertThat(listener.errors).singleElement().isInstanceOfSatisfying(TransportException.class,
                e -> assertThat(e.isRetryable()).isTrue());
        assertThat(node.parts).allSatisfy(p -> assertThat(p.cancelled).isTrue());
    }

    @Test
    void aPartAddedLaterCountsItsSilenceFromWhenItOpened() {
        Subscription split = open(topics(0, 6), 10, 4);
        for (int i = 0; i < 100; i++) {
            node.parts.forEach(p -> p.listener.onHeartbeat());
        }
        node.gate = new CompletableFuture<>(); // the node takes its time to accept the next part
        CompletableFuture<Map<String, Long>> added = split.addTopics(Map.of("t6", 0L));
        for (int i = 0; i < 100; i++) {
            node.parts.stream().limit(2).forEach(p -> p.listener.onHeartbeat());
        }
        node.gate.complete(null);
        assertThat(added.join()).containsOnlyKeys("t6");
        Part late = node.parts.get(2);
        for (int i = 0; i < 2; i++) {
            node.parts.forEach(p -> p.listener.onHeartbeat());
        }
        assertThat(late.cancelled).isFalse();
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void partsThatBeatInTurnAreAlive() {
        open(topics(0, 9), 10, 4);
        for (int round = 0; round < 50; round++) {
            node.parts.forEach(p -> p.listener.onHeartbeat());
        }
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void addingWhereOnePartRefusesAddsNone() {
        Subscription split = open(topics(0, 2), 10, 4);
        node.forbidden.add("secret");
        Map<String, Long> adding = new LinkedHashMap<>();
        adding.put("t0", 0L);     // followed already
        adding.put("new", 0L);    // fits the first part
        adding.put("secret", 0L); // needs a new part, which refuses it
        adding.put("x", 0L);
        assertThatThrownBy(() -> split.addTopics(adding).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PermissionDeniedException.class);
        assertThat(node.allTopics()).as("the first part took 'new' back, kept what it followed")
                .containsExactlyInAnyOrder("t0", "t1");
        split.addTopics(Map.of("a", 0L, "b", 0L, "c", 0L)).join();
        assertThat(node.parts).as("the refused topics left no room taken").hasSize(2);
        assertThat(node.allTopics()).hasSize(5);
    }

    @Test
    void moreTopicsThanOneConnectionMayFollowIsAProtocolErrorNamingBothLimits() {
        Parts small = new Parts(new SubscriptionLimits(3, 2));
        assertThatThrownBy(() -> SplitSubscription.open(small, topics(0, 7), 10, 4, listener).join())
                .hasCauseInstanceOf(ProtocolException.class)
                .hasMessageContaining("3 topics per subscription").hasMessageContaining("2 subscriptions per connection");
        assertThat(small.parts).as("nothing opened").isEmpty();

        Subscription split = SplitSubscription.open(small, topics(0, 5), 10, 4, listener).join();
        assertThat(split.addTopics(Map.of("t5", 0L)).join()).containsOnlyKeys("t5");
        assertThatThrownBy(() -> split.addTopics(Map.of("t6", 0L)).join())
                .hasCauseInstanceOf(ProtocolException.class).hasMessageContaining("at most 3 topics per subscription");
        assertThat(small.parts).hasSize(2);
        assertThat(listener.errors).as("the stream goes on").isEmpty();
    }

    @Test
    void aPartTheNodeRefusesFailsTheOpeningAndLeavesNothingOpen() {
        node.refuseSubscriptionNumber = 2;
        assertThatThrownBy(() -> open(topics(0, 9), 10, 4)).hasCauseInstanceOf(ProtocolException.class);
        assertThat(node.parts).filteredOn(p -> !p.refused).allSatisfy(p -> assertThat(p.cancelled).isTrue());
        assertThat(listener.errors).as("the caller hears it from the future only").isEmpty();
        assertThat(listener.closed).hasValue(0);
    }

    @Test
    void concurrentPartsKeepOrderPerTopicAndTheWholeStaysWithinItsDemand() throws Exception {
        int perTopic = 2_000;
        int window = 16;
        Parts threaded = new Parts(new SubscriptionLimits(2, 10));
        Recorder recorder = new Recorder();
        Subscription split = SplitSubscription.open(threaded, topics(0, 8), window, window, recorder).join();
        recorder.replenishing(split, window);
        ExecutorService nodes = Executors.newFixedThreadPool(threaded.parts.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Part part : threaded.parts) {
                running.add(nodes.submit(() -> part.sendHonouringDemand(perTopic)));
            }
            for (Future<?> f : running) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            nodes.shutdownNow();
        }
        assertThat(recorder.overlapped).as("listener calls overlapped").isFalse();
        assertThat(recorder.maxOutstandingExceeded).as("delivered beyond the demand").isFalse();
        assertThat(recorder.count()).isEqualTo(8 * perTopic);
        for (String topic : topics(0, 8).keySet()) {
            List<Long> seen = recorder.sequences(topic);
            assertThat(seen).hasSize(perTopic);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(i + 1L);
            }
        }
    }

    private Subscription open(Map<String, Long> cursors, long initialDemand, long partDemand) {
        listener.outstanding.set(initialDemand);
        Subscription split = SplitSubscription.open(node, cursors, initialDemand, partDemand, listener).join();
        listener.subscription = split;
        return split;
    }

    private static Map<String, Long> topics(int from, int to) {
        Map<String, Long> cursors = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            cursors.put("t" + i, 0L);
        }
        return cursors;
    }

    /** What the listener of the whole sees, and whether the contract held. */
    static final class Recorder implements SubscriptionListener {
        final Map<String, List<Long>> received = new ConcurrentHashMap<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger heartbeats = new AtomicInteger();
        final AtomicLong outstanding = new AtomicLong();
        final AtomicBoolean inCall = new AtomicBoolean();
        volatile boolean overlapped;
        volatile boolean maxOutstandingExceeded;
        volatile Subscription subscription;
        private volatile boolean replenish;

        /** Asks for as much again as it received, from inside the callback (as a direct executor would). */
        void replenishing(Subscription split, long window) {
            subscription = split;
            outstanding.set(window);
            replenish = true;
        }

        void request(long n) {
            outstanding.addAndGet(n);
            subscription.request(n);
        }

        int count() {
            return received.values().stream().mapToInt(List::size).sum();
        }

        List<Long> sequences(String topic) {
            return received.getOrDefault(topic, List.of());
        }

        @Override
        public void onEnvelope(Envelope envelope) {
            onEnvelopes(List.of(envelope));
        }

        @Override
        public void onEnvelopes(List<Envelope> envelopes) {
            enter();
            try {
                if (outstanding.addAndGet(-envelopes.size()) < 0) {
                    maxOutstandingExceeded = true;
                }
                envelopes.forEach(e -> received.computeIfAbsent(e.topic(), t -> new CopyOnWriteArrayList<>())
                        .add(e.sequence()));
                if (replenish) {
                    outstanding.addAndGet(envelopes.size());
                    subscription.request(envelopes.size());
                }
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void onHeartbeat() {
            enter();
            heartbeats.incrementAndGet();
            inCall.set(false);
        }

        @Override
        public void onError(Throwable error) {
            enter();
            errors.add(error);
            inCall.set(false);
        }

        @Override
        public void onClosed() {
            enter();
            closed.incrementAndGet();
            inCall.set(false);
        }

        private void enter() {
            if (!inCall.compareAndSet(false, true)) {
                overlapped = true;
            }
        }
    }

    /** A node as the split sees it: transport subscriptions that keep its limits and record what they were asked. */
    static final class Parts extends UnsupportedTransport {
        final List<Part> parts = new CopyOnWriteArrayList<>();
        final Set<String> forbidden = ConcurrentHashMap.newKeySet();
        final SubscriptionLimits limits;
        int refuseSubscriptionNumber;
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        Parts(SubscriptionLimits limits) {
            this.limits = limits;
        }

        Set<String> allTopics() {
            Set<String> all = new HashSet<>();
            parts.forEach(p -> p.topics.forEach(t -> assertThat(all.add(t)).as("%s in two parts", t).isTrue()));
            return all;
        }

        @Override
        public SubscriptionLimits subscriptionLimits() {
            return limits;
        }

        @Override
        public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                         SubscriptionListener listener) {
            Part part = new Part(this, initialDemand, listener);
            parts.add(part);
            if (parts.size() == refuseSubscriptionNumber) {
                part.refused = true;
                return CompletableFuture.failedFuture(new ProtocolException("refused"));
            }
            if (parts.stream().filter(p -> !p.cancelled && !p.refused).count() > limits.maxSubscriptionsPerSession()) {
                return CompletableFuture.failedFuture(new ProtocolException("too many subscriptions"));
            }
            return gate.thenCompose(v -> part.addTopics(cursors)).thenApply(m -> part);
        }
    }

    /** One transport subscription: refuses more topics than the limit, as the node does. */
    static final class Part implements Subscription {
        final Parts node;
        final long initialDemand;
        final SubscriptionListener listener;
        final Set<String> topics = ConcurrentHashMap.newKeySet();
        final AtomicLong requested = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final Semaphore permits;
        volatile boolean cancelled;
        volatile boolean refused;

        Part(Parts node, long initialDemand, SubscriptionListener listener) {
            this.node = node;
            this.initialDemand = initialDemand;
            this.listener = listener;
            this.permits = new Semaphore((int) Math.min(initialDemand, Integer.MAX_VALUE));
        }

        void deliver(String topic, long... sequences) {
            List<Envelope> envelopes = new ArrayList<>();
            for (long s : sequences) {
                envelopes.add(envelope(topic, s));
            }
            sent.addAndGet(envelopes.size());
            listener.onEnvelopes(envelopes);
        }

        /** Sends {@code perTopic} envelopes of each topic, interleaved, each only once it was granted. */
        void sendHonouringDemand(int perTopic) {
            try {
                List<String> mine = List.copyOf(topics);
                for (int s = 1; s <= perTopic; s++) {
                    for (String topic : mine) {
                        if (!permits.tryAcquire(20, TimeUnit.SECONDS)) {
                            throw new AssertionError("no demand granted for " + topic + " after " + sent.get());
                        }
                        sent.incrementAndGet();
                        listener.onEnvelopes(List.of(envelope(topic, s)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> cursors) {
            for (String topic : cursors.keySet()) {
                if (node.forbidden.contains(topic)) {
                    return CompletableFuture.failedFuture(new PermissionDeniedException("may not read " + topic));
                }
            }
            Set<String> after = new HashSet<>(topics);
            after.addAll(cursors.keySet());
            if (after.size() > node.limits.maxTopicsPerSubscription()) {
                return CompletableFuture.failedFuture(new ProtocolException("over the node's limit: " + after.size()));
            }
            topics.addAll(cursors.keySet());
            Map<String, Long> resolved = new HashMap<>();
            cursors.forEach((t, c) -> resolved.put(t, Math.max(c, 0)));
            return CompletableFuture.completedFuture(resolved);
        }

        @Override
        public void removeTopics(Collection<String> removed) {
            topics.removeAll(removed);
        }

        @Override
        public void request(long n) {
            requested.addAndGet(n);
            permits.release((int) n);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        private static Envelope envelope(String topic, long sequence) {
            return new Envelope(topic, sequence, sequence, ("" + sequence).getBytes(StandardCharsets.UTF_8), "k", "s");
        }
    }
}
