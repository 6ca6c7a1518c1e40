package dev.parley.transport.grpc;

import com.google.auto.service.AutoService;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;
import dev.parley.transport.FramedTransport;

import java.net.URI;

/**
 * {@code grpcs://host:port}: gRPC over TLS. The node's certificate must chain to
 * {@link TransportConfig#trustStore()} (the JDK's default trust store when empty) and name
 * {@code host}; otherwise connecting fails with a non-retryable {@link dev.parley.TransportException}.
 */
@AutoService(TransportProvider.class)
public final class GrpcsTransportProvider implements TransportProvider {
    @Override
    public String scheme() {
        return "grpcs";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        return FramedTransport.connect(new GrpcLinks(endpoint, GrpcProtocol.clientTls(config.trustStore())), config,
                "grpcs");
    }
}
