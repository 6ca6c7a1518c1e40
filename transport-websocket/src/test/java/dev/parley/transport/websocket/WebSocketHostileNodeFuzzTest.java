package dev.parley.transport.websocket;

import dev.parley.tck.fuzz.FakeNode;
import dev.parley.tck.fuzz.HostileNodeProperties;

/** The WebSocket client against a hostile node (jqwik; tries: -Dparley.fuzz.tries). */
class WebSocketHostileNodeFuzzTest extends HostileNodeProperties {
    @Override
    protected String scheme() {
        return "ws";
    }

    @Override
    protected FakeNode.Factory fakeNodes() {
        return new WebSocketFakeNodes();
    }
}
