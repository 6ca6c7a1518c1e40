package dev.parley.transport.websocket;

import dev.parley.tck.ReliabilityContract;

class WebSocketReliabilityTest extends ReliabilityContract {
    @Override
    protected String scheme() {
        return "ws";
    }
}
