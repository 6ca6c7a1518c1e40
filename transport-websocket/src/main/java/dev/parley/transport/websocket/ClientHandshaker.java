package dev.parley.transport.websocket;

import dev.parley.internal.util.WireLimits;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;

/**
 * The client's WebSocket upgrade (RFC 6455, one per socket) whose frame decoder refuses a frame over
 * {@link WireLimits#MAX_FRAME_BYTES} from its header, and any protocol violation, by reporting it and
 * closing nothing itself: Netty's own decoder would write its close frame past the frame encoder
 * (the node would get no close code) and close the socket before the link learnt why. The link
 * answers with the close frame instead ({@link WebSocketLink}).
 */
final class ClientHandshaker extends WebSocketClientHandshaker13 {
    ClientHandshaker(URI uri) {
        super(uri, WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, WireLimits.MAX_FRAME_BYTES,
                true, false);
    }

    @Override
    protected WebSocketFrameDecoder newWebsocketDecoder() {
        return new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false)
                .allowExtensions(false)
                .maxFramePayloadLength(WireLimits.MAX_FRAME_BYTES)
                .closeOnProtocolViolation(false)
                .build());
    }
}
