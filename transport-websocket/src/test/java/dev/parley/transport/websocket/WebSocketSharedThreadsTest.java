package dev.parley.transport.websocket;

import dev.parley.tck.SharedThreadsContract;

/** Many WebSocket clients on loopback share the JVM's pools and event loops. */
class WebSocketSharedThreadsTest extends SharedThreadsContract {
    @Override
    protected String scheme() {
        return "ws";
    }
}
