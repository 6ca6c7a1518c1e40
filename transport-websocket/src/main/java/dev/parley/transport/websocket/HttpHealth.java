package dev.parley.transport.websocket;

import dev.parley.spi.node.NodeHealth;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /health} beside the WebSocket path: 200 and {@code {"status":"SERVING","node":"NAME"}}
 * while the node serves, 503 and {@code {"status":"NOT_SERVING","node":"NAME","detail":"closing"}}
 * (or why else) while it does not.
 */
final class HttpHealth {
    static final String PATH = "/health";

    private HttpHealth() {
    }

    /** Whether {@code request} asks for the node's health. */
    static boolean asks(FullHttpRequest request) {
        return HttpMethod.GET.equals(request.method()) && PATH.equals(new QueryStringDecoder(request.uri()).path());
    }

    /** The answer for {@code health} of node {@code name}. */
    static FullHttpResponse response(String name, NodeHealth health) {
        String body = health.serving()
                ? "{\"status\":\"SERVING\",\"node\":\"" + json(name) + "\"}\n"
                : "{\"status\":\"NOT_SERVING\",\"node\":\"" + json(name) + "\",\"detail\":\"" + json(health.detail()) + "\"}\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                health.serving() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    /** {@code text} inside a JSON string: quotes, backslashes and control characters escaped. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
