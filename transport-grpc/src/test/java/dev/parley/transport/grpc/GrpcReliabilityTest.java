package dev.parley.transport.grpc;

import dev.parley.tck.ReliabilityContract;

class GrpcReliabilityTest extends ReliabilityContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
