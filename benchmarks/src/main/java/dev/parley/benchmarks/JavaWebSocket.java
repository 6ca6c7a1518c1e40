package dev.parley.benchmarks;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A bare Java-WebSocket client: its own read and write threads. */
final class JavaWebSocket extends WebSocketClient implements BareWebSocket {
    private final Consumer<ByteBuffer> onReceive;
    private final Runnable onClosed;

    private JavaWebSocket(URI uri, Consumer<ByteBuffer> onReceive, Runnable onClosed) {
        super(uri);
        this.onReceive = onReceive;
        this.onClosed = onClosed;
        setTcpNoDelay(true);
        setDaemon(true);
    }

    static JavaWebSocket open(URI uri, Consumer<ByteBuffer> onReceive, Runnable onClosed) throws InterruptedException {
        JavaWebSocket client = new JavaWebSocket(uri, onReceive, onClosed);
        if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("bare Java-WebSocket client did not connect to " + uri);
        }
        return client;
    }

    @Override
    public void closeAndWait() throws InterruptedException {
        closeBlocking();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        onReceive.accept(bytes);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        onClosed.run();
    }

    @Override
    public void onError(Exception ex) {
    }
}
