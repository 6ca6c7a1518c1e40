package dev.parley.transport.websocket;

import com.google.auto.service.AutoService;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;

import java.net.URI;

/** Lets a node serve {@code ws://host:port}: {@code Node.builder().listen("ws://127.0.0.1:0")}. */
@AutoService(EndpointProvider.class)
public final class WebSocketEndpointProvider implements EndpointProvider {
    @Override
    public String scheme() {
        return "ws";
    }

    @Override
    public Endpoint start(NodeAccess node, URI bind) {
        return new WebSocketEndpoint(node, bind, null);
    }
}
