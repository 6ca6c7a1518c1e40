package dev.parley.core.conversation;

import dev.parley.core.codec.Codecs;
import dev.parley.core.store.MessageStore;
import dev.parley.core.stream.StreamRuntime;
import dev.parley.core.stream.StreamThreads;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import dev.parley.spi.Transport;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/** Wires the parts of a client together: store, codecs, processor, sync, the stream threads and runtime. */
public final class ClientServices implements AutoCloseable {
    private final ClientState state;
    private final StreamThreads threads;
    private final SharedResource.Lease<ExecutorService> blocking = SharedThreads.BLOCKING.acquire();

    /** @param callbackExecutor where stream work and callbacks run; {@code null}: the JVM's shared stream pool */
    public ClientServices(String inboxId, Transport transport, MessageStore store, Codecs codecs,
                          Duration heartbeatInterval, Duration requestTimeout, Executor callbackExecutor) {
        EnvelopeProcessor processor = new EnvelopeProcessor(inboxId, store, codecs);
        this.threads = new StreamThreads(callbackExecutor);
        Syncer syncer = new Syncer(inboxId, transport, store, processor, requestTimeout, threads.pool());
        StreamRuntime runtime = new StreamRuntime(transport, threads.pool(), threads.scheduler(),
                () -> ThreadLocalRandom.current().nextLong(), heartbeatInterval, requestTimeout);
        this.state = new ClientState(inboxId, transport, store, processor, codecs, syncer, runtime, requestTimeout,
                blocking.get());
    }

    ClientState state() {
        return state;
    }

    /** Ends every stream, stops their threads, then closes the connection and the store. */
    @Override
    public void close() {
        state.runtime.close();
        threads.close();
        state.transport.close();
        state.store.close();
        blocking.close();
    }
}
