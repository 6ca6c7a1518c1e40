package dev.parley.transport.websocket;

import dev.parley.ParleyException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.util.WireLimits;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

import java.net.URI;

/** WebSocket close codes the node uses, and what a client makes of them. */
final class CloseCodes {
    static final String PATH = "/parley";
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int INVALID_PAYLOAD = 1007;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }

    /** The failure a client sees when its WebSocket closes with {@code code}. */
    static ParleyException toException(int code, String reason, boolean byNode) {
        String detail = "WebSocket closed " + (byNode ? "by the node" : "") + " (" + code
                + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")";
        if (code == TOO_BIG && !byNode) {
            // the client refused a node frame over its limit: that node misbehaves, another connection may not
            return new TransportException("node sent a frame larger than " + WireLimits.MAX_FRAME_BYTES
                    + " bytes; connection closed (" + code + ")", true);
        }
        return switch (code) {
            case UNSUPPORTED_DATA, INVALID_PAYLOAD, TOO_BIG, 1002 -> new ProtocolException(detail);
            default -> new TransportException(detail, true);
        };
    }

    /** A close frame with {@code code} and as much of {@code reason} as a close frame carries. */
    static CloseWebSocketFrame frame(int code, String reason) {
        String text = reason == null ? "" : reason.length() > 120 ? reason.substring(0, 120) : reason;
        return new CloseWebSocketFrame(code, text);
    }

    /** Checks a {@code ws://host:port} (or {@code wss://}) endpoint and gives the URI to dial, with the Parley path. */
    static URI dialUri(URI endpoint) {
        if (endpoint.getHost() == null || endpoint.getPort() < 0) {
            throw new ProtocolException("WebSocket endpoint needs host and port, e.g. " + endpoint.getScheme()
                    + "://127.0.0.1:5557, was " + endpoint);
        }
        String path = endpoint.getPath() == null || endpoint.getPath().isEmpty() ? PATH : endpoint.getPath();
        return URI.create(endpoint.getScheme() + "://" + endpoint.getHost() + ":" + endpoint.getPort() + path);
    }
}
