package dev.parley.transport.grpc;

import dev.parley.tck.TransportContract;
import dev.parley.transport.FrameLink;

import java.net.URI;

class GrpcTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "grpc";
    }

    @Override
    protected FrameLink.Factory frameLinks(URI endpoint) {
        return new GrpcLinks(endpoint);
    }
}
