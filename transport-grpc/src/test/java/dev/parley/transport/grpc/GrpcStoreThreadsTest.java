package dev.parley.transport.grpc;

import dev.parley.tck.StoreThreadsContract;

/** gRPC clients with databases never make the shared event loops wait for their files. */
class GrpcStoreThreadsTest extends StoreThreadsContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
