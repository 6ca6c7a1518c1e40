package dev.parley.transport.websocket;

import dev.parley.tck.TransportContract;

class WebSocketTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "ws";
    }
}
