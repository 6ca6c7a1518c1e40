package dev.parley.transport.grpc;

import dev.parley.tck.TransportContract;
import dev.parley.transport.FrameLink;

import java.net.URI;

/** The transport contract over gRPC with TLS, the node serving a certificate of the suite's test CA. */
class GrpcsTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "grpcs";
    }

    @Override
    protected boolean tls() {
        return true;
    }

    @Override
    protected FrameLink.Factory frameLinks(URI endpoint) {
        return new GrpcLinks(endpoint, GrpcProtocol.clientTls(trustStore()));
    }
}
