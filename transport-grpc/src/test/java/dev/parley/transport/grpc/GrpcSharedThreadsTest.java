package dev.parley.transport.grpc;

import dev.parley.tck.SharedThreadsContract;

/** Many gRPC clients on loopback share the JVM's pools and event loops. */
class GrpcSharedThreadsTest extends SharedThreadsContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
