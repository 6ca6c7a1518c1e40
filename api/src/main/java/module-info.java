/**
 * Parley's public API ({@code dev.parley}), the client SPI ({@code dev.parley.spi}) and the node
 * SPI ({@code dev.parley.spi.node}). {@code dev.parley.internal} is shared by Parley's own modules
 * only. Providers are looked up through {@code dev.parley.internal.util.Services}, which declares each
 * service it loads at run time ({@link java.lang.Module#addUses}).
 */
module dev.parley.api {
    exports dev.parley;
    exports dev.parley.spi;
    exports dev.parley.spi.node;
    exports dev.parley.internal.util to
            dev.parley.core,
            dev.parley.node,
            dev.parley.testing,
            dev.parley.transport.support,
            dev.parley.transport.inproc,
            dev.parley.transport.grpc,
            dev.parley.transport.websocket,
            dev.parley.tck,
            dev.parley.cli,
            dev.parley.benchmarks;
    exports dev.parley.internal to
            dev.parley.core,
            dev.parley.node,
            dev.parley.node.store.postgresql,
            dev.parley.testing,
            dev.parley.transport.support,
            dev.parley.transport.inproc,
            dev.parley.transport.grpc,
            dev.parley.transport.websocket,
            dev.parley.tck,
            dev.parley.cli,
            dev.parley.benchmarks;

    uses dev.parley.ClientFactory;
    uses dev.parley.spi.TransportProvider;
    uses dev.parley.spi.node.EndpointProvider;
}
