package dev.parley;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * A live stream of values. In push mode ({@code onValue} set) values go to the callback; otherwise
 * they wait in a bounded buffer for iteration or {@link #poll}. Either way a slow consumer slows the
 * node down instead of growing memory.
 * <pre>{@code
 * try (MessageStream<DecodedMessage> s = client.conversations().streamAllMessages()) {
 *     for (DecodedMessage m : s) { ... }   // blocks; ends when the stream ends
 * }
 * }</pre>
 * The iterator ends when the stream ends; if the stream failed, {@code hasNext()} throws the
 * {@link StreamFailedException} once the values received before the failure have been returned.
 */
public interface MessageStream<T> extends Iterable<T>, AutoCloseable {
    /** The next value, waiting up to {@code timeout}; empty on timeout or when the stream is done. */
    Optional<T> poll(Duration timeout) throws InterruptedException;

    /**
     * This stream's values as a {@link Flow.Publisher} for one subscriber, so Reactor
     * ({@code JdkFlowAdapter.flowPublisherToFlux}), RxJava and Mutiny consume it natively. The
     * subscriber's {@code request(n)} is the stream's demand (the node sends at most what the
     * subscriber has room for, plus {@code bufferSize}); its {@code cancel()} ends the stream. The
     * stream's end completes the subscriber; a failure reaches its {@code onError} after the values
     * received before it. A second subscriber gets {@code onError}. Once subscribed, the iterator
     * and {@link #poll} are not available.
     *
     * @throws IllegalStateException in push mode ({@code onValue} set)
     */
    Flow.Publisher<T> asPublisher();

    /**
     * Ends the stream; idempotent. Called outside a callback it returns once {@code onEnd} has run
     * (exactly once) and no callback of this stream will run again.
     */
    void end();

    /** Same as {@link #end()}. */
    @Override
    void close();

    /** True once ENDED or FAILED. */
    boolean isDone();

    StreamState state();
}
