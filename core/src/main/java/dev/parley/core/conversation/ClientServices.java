package dev.parley.core.conversation;

import dev.parley.core.codec.Codecs;
import dev.parley.core.store.MessageStore;
import dev.parley.core.stream.StreamRuntime;
import dev.parley.spi.Transport;

import java.time.Duration;

/** Wires the parts of a client together: store, codecs, processor, sync and the stream runtime. */
public final class ClientServices implements AutoCloseable {
    private final ClientState state;

    public ClientServices(String inboxId, Transport transport, MessageStore store, Codecs codecs,
                          Duration heartbeatInterval, Duration requestTimeout) {
        EnvelopeProcessor processor = new EnvelopeProcessor(inboxId, store, codecs);
        Syncer syncer = new Syncer(inboxId, transport, store, processor, requestTimeout);
        StreamRuntime runtime = new StreamRuntime(inboxId.substring(0, Math.min(8, inboxId.length())), transport,
                syncer, store, heartbeatInterval, requestTimeout);
        this.state = new ClientState(inboxId, transport, store, processor, codecs, syncer, runtime, requestTimeout);
    }

    ClientState state() {
        return state;
    }

    /** Ends every stream, then closes the connection and the store. */
    @Override
    public void close() {
        state.runtime.close();
        state.transport.close();
        state.store.close();
    }
}
