package dev.parley.core.conversation;

import dev.parley.spi.GroupChange;
import dev.parley.ConversationType;
import dev.parley.NodeResetException;
import dev.parley.internal.Failures;
import dev.parley.internal.RequestDeadlines;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A transport whose requests follow a node whose history changed: a request refused with
 * {@link NodeResetException} makes the store {@linkplain NodeHistory#adopt adopt} the node's new
 * history; a publish or a conversation creation is then sent once more, while a query fails (its
 * cursor belongs to the old history: the sync that asked starts over). Subscriptions pass through
 * untouched: streams meet the reset themselves, to report the history they lost. The store forgets
 * on the JVM's shared pool for blocking work, never on the thread that completed the request (a
 * transport's I/O thread, which other clients share). It {@linkplain #timesOutRequests() times out
 * requests} when the transport it wraps does: a request sent once more is bounded by the first one's
 * request timeout with a timer.
 */
public final class HistoryFollowingTransport implements Transport {
    private final Transport transport;
    private final NodeHistory history;
    private final SharedResource.Lease<ExecutorService> blocking = SharedThreads.BLOCKING.acquire();
    private final Duration requestTimeout;

    /** @param requestTimeout the transport's request timeout ({@link dev.parley.spi.TransportConfig#requestTimeout()}) */
    public HistoryFollowingTransport(Transport transport, NodeHistory history, Duration requestTimeout) {
        this.transport = transport;
        this.history = history;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        return followingReset(() -> transport.publish(topic, payload, idempotencyKey));
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
        return transport.query(topic, afterSequence, limit).exceptionallyCompose(new AfterReset<>(null, 0));
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                       String name, String idempotencyKey) {
        return followingReset(() -> transport.createConversation(type, memberInboxIds, name, idempotencyKey));
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        return followingReset(() -> transport.updateGroup(change));
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                     SubscriptionListener listener) {
        return transport.subscribe(cursors, initialDemand, listener);
    }

    @Override
    public SubscriptionLimits subscriptionLimits() {
        return transport.subscriptionLimits();
    }

    @Override
    public boolean timesOutRequests() {
        return transport.timesOutRequests();
    }

    @Override
    public void close() {
        try {
            transport.close();
        } finally {
            blocking.close();
        }
    }

    private <T> CompletableFuture<T> followingReset(Supplier<CompletableFuture<T>> request) {
        long deadline = RequestDeadlines.fromNow(requestTimeout);
        return request.get().exceptionallyCompose(new AfterReset<>(request, deadline));
    }

    /**
     * What a failed request becomes (one object per request, nothing more on its success path): after a reset, the
     * store adopts the node's history first (off the completing thread); then the request is sent once more, bounded
     * by the first one's deadline, or, with nothing to send again (a query), fails; any other failure passes unwrapped.
     */
    private final class AfterReset<T> implements Function<Throwable, CompletionStage<T>> {
        private final Supplier<CompletableFuture<T>> resend;
        private final long deadline;

        AfterReset(Supplier<CompletableFuture<T>> resend, long deadline) {
            this.resend = resend;
            this.deadline = deadline;
        }

        @Override
        public CompletionStage<T> apply(Throwable failure) {
            NodeResetException reset = resetIn(failure);
            if (reset == null) {
                return CompletableFuture.failedFuture(Failures.unwrap(failure));
            }
            return CompletableFuture.runAsync(() -> history.adopt(reset.nodeEpoch()), blocking.get())
                    .thenCompose(adopted -> resend == null ? CompletableFuture.failedFuture(failure)
                            : RequestDeadlines.bound(resend.get(), deadline, requestTimeout));
        }
    }

    /** The reset {@code failure} is or wraps; null for any other outcome. */
    private static NodeResetException resetIn(Throwable failure) {
        return Failures.unwrap(failure) instanceof NodeResetException reset ? reset : null;
    }
}
