package dev.parley.core;

import com.google.auto.service.AutoService;
import dev.parley.Client;
import dev.parley.ClientFactory;
import dev.parley.ClientOptions;
import dev.parley.NodeResetException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.conversation.ClientServices;
import dev.parley.core.conversation.HistoryFollowingTransport;
import dev.parley.core.conversation.NodeHistory;
import dev.parley.core.store.InMemoryMessageStore;
import dev.parley.core.store.MessageStore;
import dev.parley.core.store.sqlite.SqliteMessageStore;
import dev.parley.core.transport.FailoverTransport;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link DefaultClient}s: picks the transport by scheme, connects, authenticates, opens the store.
 * With several endpoints, every scheme is checked first, then the client connects to the first endpoint
 * that answers and fails over between them ({@link FailoverTransport}); with one, the endpoint's
 * transport is used as it is.
 */
@AutoService(ClientFactory.class)
public final class DefaultClientFactory implements ClientFactory {
    /** Opens a client's store. */
    @FunctionalInterface
    public interface StoreOpener {
        MessageStore open(ClientOptions options, Codecs codecs);
    }

    @Override
    public Client create(ClientOptions options) {
        return create(options, DefaultClientFactory::openStore);
    }

    /**
     * A client on the store {@code stores} opens: for tools and tests that wrap the store (to watch which
     * threads use it, or to hold it up); {@link #openStore} opens the one {@code options} ask for.
     */
    public static Client create(ClientOptions options, StoreOpener stores) {
        Map<URI, TransportProvider> providers = new LinkedHashMap<>();
        options.endpoints().forEach(e -> providers.put(e, TransportRegistry.forScheme(e.getScheme())));
        Codecs codecs = new Codecs(options.codecs());
        MessageStore store = stores.open(options, codecs);
        NodeHistory history = new NodeHistory(store);
        TransportConfig config = TransportConfig.builder()
                .authenticator(options.identity())
                .heartbeatInterval(options.heartbeatInterval())
                .requestTimeout(options.requestTimeout())
                .epochCheck(history)
                .trustStore(options.trustStore().orElse(null))
                .build();
        Transport transport;
        try {
            transport = new HistoryFollowingTransport(connect(providers, config, history), history,
                    config.requestTimeout());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        ClientServices services = new ClientServices(options.identity().inboxId(), transport, store,
                codecs, options.heartbeatInterval(), options.requestTimeout(), options.callbackExecutor().orElse(null));
        return new DefaultClient(options.identity().inboxId(), services);
    }

    /** One endpoint's transport, or a {@link FailoverTransport} over several, connected to the first that answers. */
    private static Transport connect(Map<URI, TransportProvider> providers, TransportConfig config, NodeHistory history) {
        List<URI> endpoints = List.copyOf(providers.keySet());
        if (endpoints.size() == 1) {
            return connect(providers.get(endpoints.get(0)), endpoints.get(0), config, history);
        }
        // later connections are plain: a history met then is followed by whoever meets it (requests, streams)
        return FailoverTransport.connect(endpoints, e -> connect(providers.get(e), e, config, history),
                e -> providers.get(e).connect(e, config), config.requestTimeout());
    }

    /** Connects; a node whose history replaced the store's is followed (the store forgets the old one). */
    private static Transport connect(TransportProvider provider, URI endpoint, TransportConfig config,
                                     NodeHistory history) {
        try {
            return provider.connect(endpoint, config);
        } catch (NodeResetException reset) {
            history.adopt(reset.nodeEpoch());
            return provider.connect(endpoint, config);
        }
    }

    /** The store {@code options} ask for: SQLite at {@code dbPath}, else in memory. */
    public static MessageStore openStore(ClientOptions options, Codecs codecs) {
        return options.dbPath()
                .<MessageStore>map(path -> SqliteMessageStore.open(path, options.identity().inboxId(), codecs))
                .orElseGet(() -> new InMemoryMessageStore(options.cachedMessagesPerConversation()));
    }
}
