package dev.parley.transport.websocket;

import dev.parley.tck.TransportContract;
import dev.parley.transport.FrameLink;

import java.net.URI;

class WebSocketTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "ws";
    }

    @Override
    protected FrameLink.Factory frameLinks(URI endpoint) {
        return new WebSocketLinks(endpoint);
    }
}
