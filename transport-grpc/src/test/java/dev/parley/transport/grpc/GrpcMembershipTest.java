package dev.parley.transport.grpc;

import dev.parley.tck.MembershipContract;

class GrpcMembershipTest extends MembershipContract {
    @Override
    protected String scheme() {
        return "grpc";
    }
}
