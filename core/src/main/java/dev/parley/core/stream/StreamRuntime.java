package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.spi.Transport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * What the streams of one client share: the transport, the executor their serial executors and
 * catch-ups run on, the scheduler (clock and timers), the retry jitter, and the set of open streams
 * so that closing the client ends them all. It owns no thread: whoever made the executor and the
 * scheduler stops them after {@link #close()}.
 */
public final class StreamRuntime implements AutoCloseable {
    private final Transport transport;
    private final Executor pool;
    private final Scheduler scheduler;
    private final RandomGenerator jitter;
    private final Duration heartbeatInterval;
    private final Duration requestTimeout;
    private final Set<StreamEngine<?>> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public StreamRuntime(Transport transport, Executor pool, Scheduler scheduler, RandomGenerator jitter,
                         Duration heartbeatInterval, Duration requestTimeout) {
        this.transport = transport;
        this.pool = pool;
        this.scheduler = scheduler;
        this.jitter = jitter;
        this.heartbeatInterval = heartbeatInterval;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Starts a stream and returns after its first attempt (live, or retrying).
     *
     * @throws dev.parley.StreamFailedException the first attempt failed and will not be retried
     */
    public <T> MessageStream<T> start(StreamPlan<T> plan, StreamOptions<T> options) {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        StreamEngine<T> engine = new StreamEngine<>(plan, options, this);
        streams.add(engine);
        engine.start();
        return new DefaultMessageStream<>(engine);
    }

    /** Ends every stream; each {@code onEnd} has run when this returns. */
    @Override
    public void close() {
        closed = true;
        List.copyOf(streams).forEach(engine -> engine.end(true));
    }

    void ended(StreamEngine<?> engine) {
        streams.remove(engine);
    }

    Transport transport() {
        return transport;
    }

    Executor pool() {
        return pool;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    RandomGenerator jitter() {
        return jitter;
    }

    Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }
}
