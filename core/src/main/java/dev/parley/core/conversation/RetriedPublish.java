package dev.parley.core.conversation;

import dev.parley.LimitExceededException;
import dev.parley.ParleyException;
import dev.parley.TransportException;
import dev.parley.internal.RequestDeadlines;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One publish to the node and its outcome, through one callback per attempt and one future: a transient failure
 * (retryable, not a limit) is sent again with the same idempotency key, so a retry never duplicates; each attempt is
 * bounded by the request timeout (by the transport when it {@linkplain Transport#timesOutRequests() times out its
 * requests}, else by a timer here). Once the node stored it, {@code onStored} turns its place into the result, on the
 * thread that completed the publish or on {@code continuation} when given (in acknowledgement order if that executor
 * is serial), and the result completes after it. Any other failure fails the result with its typed exception.
 *
 * @param <T> what the publish completes with
 */
final class RetriedPublish<T> implements BiConsumer<PublishResult, Throwable> {
    private final Transport transport;
    private final String topic;
    private final byte[] payload;
    private final String key;
    private final Duration requestTimeout;
    private final Function<PublishResult, T> onStored;
    private final Executor continuation;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private int attemptsLeft;

    private RetriedPublish(Transport transport, String topic, byte[] payload, String key, Duration requestTimeout,
                           int attempts, Function<PublishResult, T> onStored, Executor continuation) {
        this.transport = transport;
        this.topic = topic;
        this.payload = payload;
        this.key = key;
        this.requestTimeout = requestTimeout;
        this.attemptsLeft = attempts;
        this.onStored = onStored;
        this.continuation = continuation;
    }

    /**
     * Publishes {@code payload} to {@code topic} under {@code key} in up to {@code attempts} attempts; completes with
     * {@code onStored} of where the node stored it, run on {@code continuation} (null: on the completing thread).
     */
    static <T> CompletableFuture<T> start(Transport transport, String topic, byte[] payload, String key,
                                          Duration requestTimeout, int attempts,
                                          Function<PublishResult, T> onStored, Executor continuation) {
        RetriedPublish<T> publish = new RetriedPublish<>(transport, topic, payload, key, requestTimeout, attempts,
                onStored, continuation);
        publish.attempt(); // a transport that throws at once throws to the caller, as on any first request
        return publish.result;
    }

    /**
     * A failure an immediate retry may cure: retryable, but not a limit (a limit that retrying can help
     * needs time, not an immediate retry: the caller decides).
     */
    static boolean isTransient(ParleyException error) {
        return error instanceof TransportException t && t.isRetryable() && !(error instanceof LimitExceededException);
    }

    private void attempt() {
        attemptsLeft--;
        CompletableFuture<PublishResult> sent = transport.publish(topic, payload, key);
        if (!transport.timesOutRequests()) {
            sent = RequestDeadlines.bound(sent, RequestDeadlines.fromNow(requestTimeout), requestTimeout);
        }
        sent.whenComplete(this);
    }

    /** The outcome of one attempt (attempts run one after another, so never two calls at once). */
    @Override
    public void accept(PublishResult stored, Throwable failure) {
        try {
            if (failure == null) {
                if (continuation == null) {
                    complete(stored);
                } else {
                    continuation.execute(() -> complete(stored));
                }
                return;
            }
            ParleyException error = Futures.failure(failure, requestTimeout);
            if (attemptsLeft > 0 && isTransient(error)) {
                attempt();
            } else {
                result.completeExceptionally(error);
            }
        } catch (RuntimeException e) { // a retry the transport refused at once, a continuation's pool shut down
            result.completeExceptionally(e);
        }
    }

    private void complete(PublishResult stored) {
        try {
            result.complete(onStored.apply(stored));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }
}
