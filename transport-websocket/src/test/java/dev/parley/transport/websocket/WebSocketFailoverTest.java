package dev.parley.transport.websocket;

import dev.parley.tck.FailoverContract;

/** Clients of several WebSocket nodes on loopback: a port where nothing listens, a node closed mid-stream. */
class WebSocketFailoverTest extends FailoverContract {
    @Override
    protected String scheme() {
        return "ws";
    }
}
