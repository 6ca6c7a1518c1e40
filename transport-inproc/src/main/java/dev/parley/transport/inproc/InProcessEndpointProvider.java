package dev.parley.transport.inproc;

import com.google.auto.service.AutoService;
import dev.parley.ProtocolException;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;

import java.net.URI;

/**
 * Lets a node serve {@code inproc://NAME}. Every node listens here under its own name unless told
 * otherwise; {@code inproc://} without a name means the node's name.
 */
@AutoService(EndpointProvider.class)
public final class InProcessEndpointProvider implements EndpointProvider {
    @Override
    public String scheme() {
        return InProcessTransportProvider.SCHEME;
    }

    @Override
    public Endpoint start(NodeAccess node, URI bind) {
        String name = bind.getAuthority() == null || bind.getAuthority().isBlank() ? node.name() : bind.getAuthority();
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ProtocolException("inproc name must be letters, digits, '.', '_' or '-', was " + name);
        }
        return new InProcessEndpoint(name, node);
    }
}
