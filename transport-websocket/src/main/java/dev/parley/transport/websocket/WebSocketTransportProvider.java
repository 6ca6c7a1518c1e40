package dev.parley.transport.websocket;

import com.google.auto.service.AutoService;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;
import dev.parley.transport.FramedTransport;

import java.net.URI;

/** {@code ws://host:port}: a client connection over one WebSocket (Netty, on the event loops all WebSocket clients share). */
@AutoService(TransportProvider.class)
public final class WebSocketTransportProvider implements TransportProvider {
    @Override
    public String scheme() {
        return "ws";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        return FramedTransport.connect(new WebSocketLinks(endpoint), config, "ws");
    }
}
