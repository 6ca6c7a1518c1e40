package dev.parley.transport.grpc;

import dev.parley.tck.fuzz.ByteLink;
import dev.parley.tck.fuzz.HostileClientProperties;

/** The node's gRPC endpoint under a hostile client (jqwik; tries: -Dparley.fuzz.tries). */
class GrpcHostileClientFuzzTest extends HostileClientProperties {
    @Override
    protected String scheme() {
        return "grpc";
    }

    @Override
    protected ByteLink.Factory byteLinks() {
        return new GrpcByteLinks();
    }
}
