package dev.parley.spi.node;

import java.net.URI;

/** A running listener of a node, e.g. a gRPC server. */
public interface Endpoint extends AutoCloseable {
    /** The bound address (with the real port when bound to port 0). */
    URI address();

    /** Stops accepting and closes every connection; idempotent. */
    @Override
    void close();
}
