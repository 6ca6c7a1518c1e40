package dev.parley.core.stream;

import dev.parley.spi.GroupChange;
import dev.parley.ConversationType;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport whose subscriptions a test drives by hand: accept or refuse them, deliver envelopes
 * and heartbeats, break them. Only what the stream engine uses; single-threaded like the tests.
 */
public final class ScriptedTransport implements Transport {
    /** How the next subscribe calls are answered. */
    enum Answer { ACCEPT, FAIL, FAIL_ONCE, NEVER }

    final List<ScriptedSubscription> subscriptions = new CopyOnWriteArrayList<>(); // read by tests with a real pool
    private volatile Answer answer = Answer.ACCEPT;
    private volatile RuntimeException failure;

    void accept() {
        answer = Answer.ACCEPT;
    }

    void failWith(RuntimeException error) {
        answer = Answer.FAIL;
        failure = error;
    }

    /** The next subscribe fails with {@code error}, the ones after are accepted. */
    void failOnceWith(RuntimeException error) {
        answer = Answer.FAIL_ONCE;
        failure = error;
    }

    void neverAnswer() {
        answer = Answer.NEVER;
    }

    ScriptedSubscription last() {
        return subscriptions.get(subscriptions.size() - 1);
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                     SubscriptionListener listener) {
        ScriptedSubscription subscription = new ScriptedSubscription(Map.copyOf(cursors), initialDemand, listener);
        subscriptions.add(subscription);
        return switch (answer) {
            case ACCEPT -> CompletableFuture.completedFuture(subscription);
            case FAIL -> CompletableFuture.failedFuture(failure);
            case FAIL_ONCE -> {
                answer = Answer.ACCEPT;
                yield CompletableFuture.failedFuture(failure);
            }
            case NEVER -> subscription.pending;
        };
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        throw new UnsupportedOperationException("not used by the stream engine");
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
        throw new UnsupportedOperationException("not used by the stream engine");
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        throw new UnsupportedOperationException("not used by the stream engine");
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> members, String name,
                                                        String idempotencyKey) {
        throw new UnsupportedOperationException("not used by the stream engine");
    }

    @Override
    public void close() {
    }

    static Envelope envelope(String topic, long sequence, String text) {
        return new Envelope(topic, sequence, sequence, text.getBytes(StandardCharsets.UTF_8), "k" + sequence, "sender");
    }

    /** One subscription the engine opened (also what other tests' scripted transports answer a subscribe with). */
    public static final class ScriptedSubscription implements Subscription {
        final Map<String, Long> cursors;
        final long initialDemand;
        final SubscriptionListener listener;
        final CompletableFuture<Subscription> pending = new CompletableFuture<>();
        long requested;
        int requests; // demand frames
        boolean cancelled;

        public ScriptedSubscription(Map<String, Long> cursors, long initialDemand, SubscriptionListener listener) {
            this.cursors = cursors;
            this.initialDemand = initialDemand;
            this.listener = listener;
        }

        /** The node accepts this subscription now (after {@link #neverAnswer} left it pending). */
        void acceptLate() {
            pending.complete(this);
        }

        /** The node refuses this subscription now (after {@link #neverAnswer} left it pending). */
        void refuseLate(Throwable error) {
            pending.completeExceptionally(error);
        }

        void deliver(Envelope... envelopes) {
            listener.onEnvelopes(List.of(envelopes));
        }

        void heartbeat() {
            listener.onHeartbeat();
        }

        void breakWith(Throwable error) {
            listener.onError(error);
        }

        @Override
        public CompletableFuture<Map<String, Long>> addTopics(Map<String, Long> cursors) {
            return CompletableFuture.completedFuture(cursors);
        }

        @Override
        public void removeTopics(Collection<String> topics) {
        }

        @Override
        public void request(long n) {
            requested += n;
            requests++;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
