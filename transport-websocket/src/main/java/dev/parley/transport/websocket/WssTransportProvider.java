package dev.parley.transport.websocket;

import com.google.auto.service.AutoService;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;
import dev.parley.transport.FramedTransport;

import java.net.URI;

/**
 * {@code wss://host:port}: one WebSocket over TLS. The node's certificate must chain to
 * {@link TransportConfig#trustStore()} (the JDK's default trust store when empty) and name
 * {@code host}; otherwise connecting fails with a non-retryable {@link dev.parley.TransportException}.
 */
@AutoService(TransportProvider.class)
public final class WssTransportProvider implements TransportProvider {
    @Override
    public String scheme() {
        return "wss";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        return FramedTransport.connect(new WebSocketLinks(endpoint, WebSocketLinks.clientTls(config.trustStore())),
                config, "wss");
    }
}
