package dev.parley.transport.websocket;

import dev.parley.tck.StoreThreadsContract;

/** WebSocket clients with databases never make the shared event loops wait for their files. */
class WebSocketStoreThreadsTest extends StoreThreadsContract {
    @Override
    protected String scheme() {
        return "ws";
    }
}
