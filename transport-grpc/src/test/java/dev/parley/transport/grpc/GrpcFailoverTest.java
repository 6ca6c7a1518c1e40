package dev.parley.transport.grpc;

import dev.parley.tck.FailoverContract;

/** Clients of several gRPC nodes on loopback: a port where nothing listens, a node closed mid-stream. */
class GrpcFailoverTest extends FailoverContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
