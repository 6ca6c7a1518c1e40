package dev.parley.transport.websocket;

import dev.parley.tck.FailoverContract;

/** Endpoints of different schemes in one list: the first node over gRPC, the next over WebSocket. */
class MixedSchemeFailoverTest extends FailoverContract {
    @Override
    protected String scheme() {
        return "grpc";
    }

    @Override
    protected String secondScheme() {
        return "ws";
    }
}
