package dev.parley.spi.node;

import java.util.Objects;

/**
 * Whether a node serves now, as its endpoints answer health checks ({@code grpc.health.v1} on a gRPC
 * port, {@code GET /health} on a WebSocket port): serving when it is started, not closing, and its
 * store answers; otherwise {@code detail} says why not (for operators, not for clients to parse).
 *
 * @param serving whether the node takes requests now
 * @param detail  {@code "serving"}, or why the node does not serve
 */
public record NodeHealth(boolean serving, String detail) {
    /** A node that serves. */
    public static final NodeHealth SERVING = new NodeHealth(true, "serving");

    public NodeHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /** A node that does not serve, for {@code reason}. */
    public static NodeHealth notServing(String reason) {
        return new NodeHealth(false, reason);
    }
}
