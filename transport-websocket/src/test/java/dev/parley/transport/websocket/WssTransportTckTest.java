package dev.parley.transport.websocket;

import dev.parley.tck.TransportContract;
import dev.parley.transport.FrameLink;

import java.net.URI;

/** The transport contract over WebSocket with TLS, the node serving a certificate of the suite's test CA. */
class WssTransportTckTest extends TransportContract {
    @Override
    protected String scheme() {
        return "wss";
    }

    @Override
    protected boolean tls() {
        return true;
    }

    @Override
    protected FrameLink.Factory frameLinks(URI endpoint) {
        return new WebSocketLinks(endpoint, WebSocketLinks.clientTls(trustStore()));
    }
}
