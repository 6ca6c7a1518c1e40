package dev.parley.transport.inproc;

import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.NodeAccess;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/** A node reachable at {@code inproc://NAME} from this JVM for as long as this endpoint is open. */
final class InProcessEndpoint implements Endpoint {
    private final String name;
    private final NodeAccess node;
    private final AtomicBoolean closed = new AtomicBoolean();

    InProcessEndpoint(String name, NodeAccess node) {
        this.name = name;
        this.node = node;
        InProcessNodes.register(name, node);
    }

    @Override
    public URI address() {
        return URI.create(InProcessTransportProvider.SCHEME + "://" + name);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            InProcessNodes.unregister(name, node);
        }
    }
}
