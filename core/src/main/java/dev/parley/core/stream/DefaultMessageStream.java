package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamState;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Flow;

/** A stream as its user sees it: the pull side (iterator, {@code poll}, Flow publisher), end, state. */
final class DefaultMessageStream<T> implements MessageStream<T> {
    private final StreamEngine<T> engine;
    private final PullBuffer<T> buffer; // null in push mode
    private final StreamPublisher<T> publisher;

    DefaultMessageStream(StreamEngine<T> engine) {
        this.engine = engine;
        this.buffer = engine.delivery().pullBuffer();
        this.publisher = buffer == null ? null : new StreamPublisher<>(buffer, () -> engine.end(false));
    }

    @Override
    public Optional<T> poll(Duration timeout) throws InterruptedException {
        return pullBuffer().poll(Math.max(0, timeout.toNanos()));
    }

    @Override
    public Iterator<T> iterator() {
        return new PullIterator<>(pullBuffer());
    }

    @Override
    public Flow.Publisher<T> asPublisher() {
        pushModeCheck();
        return publisher;
    }

    /** Ending a pull stream acknowledges the value the consumer took last: it is done with it. */
    @Override
    public void end() {
        if (buffer != null) {
            buffer.acknowledge();
        }
        engine.end(true);
    }

    @Override
    public void close() {
        end();
    }

    @Override
    public boolean isDone() {
        return engine.state().isFinal();
    }

    @Override
    public StreamState state() {
        return engine.state();
    }

    /** Values waiting in the pull buffer; for tests of the memory bound. */
    int bufferedForTest() {
        return buffer == null ? 0 : buffer.size();
    }

    private PullBuffer<T> pullBuffer() {
        pushModeCheck();
        if (publisher.isTaken()) {
            throw new IllegalStateException("this stream's values go to the subscriber of asPublisher()");
        }
        return buffer;
    }

    private void pushModeCheck() {
        if (buffer == null) {
            throw new IllegalStateException("this stream is in push mode (onValue is set): values go to onValue");
        }
    }
}
