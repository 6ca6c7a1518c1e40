package dev.parley.transport.grpc;

import com.google.auto.service.AutoService;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;

import java.net.URI;

/** Lets a node serve {@code grpc://host:port}: {@code Node.builder().listen("grpc://127.0.0.1:0")}. */
@AutoService(EndpointProvider.class)
public final class GrpcEndpointProvider implements EndpointProvider {
    @Override
    public String scheme() {
        return "grpc";
    }

    @Override
    public Endpoint start(NodeAccess node, URI bind) {
        return new GrpcEndpoint(node, bind, null);
    }
}
