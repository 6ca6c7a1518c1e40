package dev.parley;

import java.time.Duration;
import java.util.Optional;

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
