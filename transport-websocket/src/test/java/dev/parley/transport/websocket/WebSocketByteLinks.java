package dev.parley.transport.websocket;

import dev.parley.tck.fuzz.ByteLink;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Raw WebSocket links for the fuzzing suites: binary messages holding any bytes. */
final class WebSocketByteLinks implements ByteLink.Factory {
    @Override
    public ByteLink open(URI endpoint, ByteLink.Handler handler) {
        Link link = new Link(CloseCodes.dialUri(endpoint), handler);
        link.setDaemon(true);
        link.setConnectionLostTimeout(0);
        link.connect();
        return link;
    }

    @Override
    public void close() {
        // every link owns its socket and thread
    }

    private static final class Link extends WebSocketClient implements ByteLink {
        private final ByteLink.Handler handler;
        private final List<byte[]> waiting = new ArrayList<>(); // guarded by this
        private boolean open;                                   // guarded by this

        Link(URI uri, ByteLink.Handler handler) {
            super(uri);
            this.handler = handler;
        }

        @Override
        public synchronized void send(byte[] frame) {
            if (!open) {
                waiting.add(frame);
                return;
            }
            try {
                super.send(frame);
            } catch (RuntimeException closed) {
                // the socket is closing: nothing more to send
            }
        }

        @Override
        public synchronized void onOpen(ServerHandshake handshake) {
            open = true;
            waiting.forEach(this::send);
            waiting.clear();
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] frame = new byte[bytes.remaining()];
            bytes.get(frame);
            handler.onFrame(frame);
        }

        @Override
        public void onMessage(String message) {
            handler.onFrame(new byte[] {(byte) 0xff}); // a node never sends text: recorded as unparsable
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            // 1011: the node failed inside
            handler.onClosed(new ByteLink.Closed(code + " " + reason + (remote ? " (by the node)" : ""),
                    code == CloseCodes.INTERNAL_ERROR));
        }

        @Override
        public void onError(Exception ex) {
            // onClose follows with the code
        }

        @Override
        public void close() {
            super.close();
        }
    }
}
