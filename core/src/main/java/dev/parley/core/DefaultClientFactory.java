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
import dev.parley.core.transport.TransportRegistry;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

/** Builds {@link DefaultClient}s: picks the transport by scheme, connects, authenticates, opens the store. */
@AutoService(ClientFactory.class)
public final class DefaultClientFactory implements ClientFactory {
    @Override
    public Client create(ClientOptions options) {
        TransportProvider provider = TransportRegistry.forScheme(options.endpoint().getScheme());
        Codecs codecs = new Codecs(options.codecs());
        MessageStore store = openStore(options, codecs);
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
            transport = new HistoryFollowingTransport(connect(provider, options, config, history), history);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        ClientServices services = new ClientServices(options.identity().inboxId(), transport, store,
                codecs, options.heartbeatInterval(), options.requestTimeout());
        return new DefaultClient(options.identity().inboxId(), services);
    }

    /** Connects; a node whose history replaced the store's is followed (the store forgets the old one). */
    private static Transport connect(TransportProvider provider, ClientOptions options, TransportConfig config,
                                     NodeHistory history) {
        try {
            return provider.connect(options.endpoint(), config);
        } catch (NodeResetException reset) {
            history.adopt(reset.nodeEpoch());
            return provider.connect(options.endpoint(), config);
        }
    }

    private static MessageStore openStore(ClientOptions options, Codecs codecs) {
        return options.dbPath()
                .<MessageStore>map(path -> SqliteMessageStore.open(path, options.identity().inboxId(), codecs))
                .orElseGet(() -> new InMemoryMessageStore(options.cachedMessagesPerConversation()));
    }
}
