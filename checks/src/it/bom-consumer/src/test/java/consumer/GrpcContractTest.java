package consumer;

import dev.parley.tck.TransportContract;

/** The TCK as README.md tells transport authors to run it, here over gRPC on a BOM user's class path. */
class GrpcContractTest extends TransportContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
