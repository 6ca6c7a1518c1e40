package dev.parley.transport.grpc;

import com.google.auto.service.AutoService;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;
import dev.parley.transport.FramedTransport;

import java.net.URI;

/** {@code grpc://host:port}: a client connection over grpc-java on Netty. */
@AutoService(TransportProvider.class)
public final class GrpcTransportProvider implements TransportProvider {
    @Override
    public String scheme() {
        return "grpc";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        return FramedTransport.connect(new GrpcLinks(endpoint), config, "grpc");
    }
}
