package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.core.conversation.Syncer;
import dev.parley.core.store.MessageStore;
import dev.parley.internal.NamedThreads;
import dev.parley.spi.Transport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the streams of one client share: the transport, a thread pool for their serial executors and
 * syncs, one timer thread, and the set of live streams so that closing the client ends them all.
 * Threads exist only while there is work (the pool) or the client is open (the timer).
 */
public final class StreamRuntime implements AutoCloseable {
    final Transport transport;
    final Syncer syncer;
    final MessageStore store;
    final Duration heartbeatInterval;
    final Duration requestTimeout;
    final ExecutorService pool;
    final ScheduledExecutorService timers;
    private final Set<StreamEngine<?>> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public StreamRuntime(String name, Transport transport, Syncer syncer, MessageStore store,
                         Duration heartbeatInterval, Duration requestTimeout) {
        this.transport = transport;
        this.syncer = syncer;
        this.store = store;
        this.heartbeatInterval = heartbeatInterval;
        this.requestTimeout = requestTimeout;
        this.pool = Executors.newCachedThreadPool(NamedThreads.daemon("parley-" + name + "-stream"));
        this.timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("parley-" + name + "-timer"));
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
        return engine;
    }

    void ended(StreamEngine<?> engine) {
        streams.remove(engine);
    }

    int liveStreams() {
        return streams.size();
    }

    /** Ends every stream (each {@code onEnd} has run when this returns), then stops the threads. */
    @Override
    public void close() {
        closed = true;
        List.copyOf(streams).forEach(StreamEngine::end);
        timers.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
