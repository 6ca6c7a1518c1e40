package dev.parley.transport.websocket;

import dev.parley.tck.fuzz.ByteLink;
import dev.parley.tck.fuzz.HostileClientProperties;

/** The node's WebSocket endpoint under a hostile client (jqwik; tries: -Dparley.fuzz.tries). */
class WebSocketHostileClientFuzzTest extends HostileClientProperties {
    @Override
    protected String scheme() {
        return "ws";
    }

    @Override
    protected ByteLink.Factory byteLinks() {
        return new WebSocketByteLinks();
    }
}
