package dev.parley.transport.websocket;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.ProtocolException;
import dev.parley.node.Node;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed, text and oversized frames close that one socket with a close code; the node stays up. */
@Timeout(30)
class BadFramesTest {
    private Node node;

    @BeforeEach
    void start() {
        node = Node.builder().name("bad-frames").listen("ws://127.0.0.1:0").build().start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** A raw socket that reports the close code the node sent. */
    private static final class Raw extends WebSocketClient {
        final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();

        Raw(URI uri) {
            super(uri);
            setDaemon(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened.complete(null);
        }

        @Override
        public void onMessage(String message) {
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closedWith.complete(code);
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    private int closeCodeAfter(java.util.function.Consumer<Raw> misbehave) throws Exception {
        Raw raw = new Raw(URI.create(node.endpoint("ws") + CloseCodes.PATH));
        assertThat(raw.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        misbehave.accept(raw);
        return raw.closedWith.get(10, TimeUnit.SECONDS);
    }

    @Test
    void malformedBinaryFrame() throws Exception {
        assertThat(closeCodeAfter(r -> r.send(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01})))
                .isEqualTo(CloseCodes.INVALID_PAYLOAD);
        assertNodeStillServes();
    }

    /** A frame cut short by an end-group tag (field 1, wire type 4) is not one whole message. */
    @Test
    void frameEndedByAStrayEndGroupTag() throws Exception {
        assertThat(closeCodeAfter(r -> r.send(new byte[] {0x0c}))).isEqualTo(CloseCodes.INVALID_PAYLOAD);
        assertNodeStillServes();
    }

    @Test
    void textFrame() throws Exception {
        assertThat(closeCodeAfter(r -> r.send("hello"))).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
        assertNodeStillServes();
    }

    @Test
    void oversizedFrame() throws Exception {
        assertThat(closeCodeAfter(r -> r.send(new byte[dev.parley.internal.util.WireLimits.MAX_FRAME_BYTES + 1])))
                .isEqualTo(CloseCodes.TOO_BIG);
        assertNodeStillServes();
    }

    @Test
    void closeCodesBecomeTypedExceptions() {
        assertThat(CloseCodes.toException(CloseCodes.INVALID_PAYLOAD, "malformed frame", true))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("1007").hasMessageContaining("malformed");
        assertThat(CloseCodes.toException(CloseCodes.TOO_BIG, "too big", true)).isInstanceOf(ProtocolException.class);
        assertThat(CloseCodes.toException(CloseCodes.GOING_AWAY, "bye", true))
                .isInstanceOfSatisfying(dev.parley.TransportException.class, e -> assertThat(e.isRetryable()).isTrue());
    }

    private void assertNodeStillServes() {
        try (Client client = Client.create(ClientOptions.builder().endpoint(node.endpoint("ws").toString())
                .identity(Identity.generate()).build())) {
            String id = client.conversations().newGroup(List.of()).send("still here");
            assertThat(id).isNotBlank();
        }
    }
}
