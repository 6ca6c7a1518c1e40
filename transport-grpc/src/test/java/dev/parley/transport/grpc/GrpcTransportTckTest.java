package dev.parley.transport.grpc;

import dev.parley.tck.TransportContract;

class GrpcTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
