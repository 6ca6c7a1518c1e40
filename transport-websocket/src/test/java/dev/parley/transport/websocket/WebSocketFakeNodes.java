package dev.parley.transport.websocket;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.protocol.ClientFrame;
import dev.parley.tck.fuzz.FakeNode;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Fake nodes on WebSocket (Java-WebSocket's server) for the fuzzing suites: binary messages of any bytes. */
final class WebSocketFakeNodes implements FakeNode.Factory {
    @Override
    public FakeNode start(FakeNode.Script script) {
        Server server = new Server(script);
        server.setDaemon(true);
        server.start();
        int port = server.started.orTimeout(10, TimeUnit.SECONDS).join();
        URI endpoint = URI.create("ws://127.0.0.1:" + port);
        return FakeNode.of(endpoint, () -> {
            try {
                server.stop(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static final class Server extends WebSocketServer {
        final CompletableFuture<Integer> started = new CompletableFuture<>();
        private final FakeNode.Script script;

        Server(FakeNode.Script script) {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.script = script;
            setReuseAddr(true);
        }

        private static FakeNode.Peer peer(WebSocket socket) {
            return new FakeNode.Peer() {
                @Override
                public void send(byte[] frame) {
                    try {
                        socket.send(frame);
                    } catch (RuntimeException closed) {
                        // the client left
                    }
                }

                @Override
                public void close() {
                    socket.close(CloseCodes.GOING_AWAY, "fake node closes");
                }
            };
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket socket, String message) {
            script.onMalformed(peer(socket));
        }

        @Override
        public void onMessage(WebSocket socket, ByteBuffer message) {
            try {
                script.onFrame(peer(socket), ClientFrame.parseFrom(message));
            } catch (InvalidProtocolBufferException e) {
                script.onMalformed(peer(socket));
            }
        }

        @Override
        public void onError(WebSocket socket, Exception ex) {
        }

        @Override
        public void onStart() {
            started.complete(getPort());
        }
    }
}
