package dev.parley.transport.grpc;

import com.google.auto.service.AutoService;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;
import dev.parley.transport.TlsSettings;

import java.net.URI;

/**
 * Lets a node serve {@code grpcs://host:port} (gRPC over TLS) with its certificate:
 * {@code Node.builder().tls(cert, key).listen("grpcs://0.0.0.0:443")}.
 */
@AutoService(EndpointProvider.class)
public final class GrpcsEndpointProvider implements EndpointProvider {
    @Override
    public String scheme() {
        return "grpcs";
    }

    /** @throws IllegalStateException the node has no TLS certificate */
    @Override
    public Endpoint start(NodeAccess node, URI bind) {
        return new GrpcEndpoint(node, bind, GrpcProtocol.nodeTls(TlsSettings.nodeCertificate(node, bind)));
    }
}
