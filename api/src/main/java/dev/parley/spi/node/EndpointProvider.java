package dev.parley.spi.node;

import java.net.URI;

/**
 * The node side of a transport, found with {@link java.util.ServiceLoader}
 * (register with {@code @AutoService(EndpointProvider.class)}), so that a node can listen on
 * every scheme whose module is on the class path.
 */
public interface EndpointProvider {
    String scheme();

    /** Starts serving {@code node} on {@code bind}. */
    Endpoint start(NodeAccess node, URI bind);
}
