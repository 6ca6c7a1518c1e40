package dev.parley.transport.grpc;

import dev.parley.tck.fuzz.FakeNode;
import dev.parley.tck.fuzz.HostileNodeProperties;

/** The gRPC client against a hostile node (jqwik; tries: -Dparley.fuzz.tries). */
class GrpcHostileNodeFuzzTest extends HostileNodeProperties {
    @Override
    protected String scheme() {
        return "grpc";
    }

    @Override
    protected FakeNode.Factory fakeNodes() {
        return new GrpcFakeNodes();
    }
}
