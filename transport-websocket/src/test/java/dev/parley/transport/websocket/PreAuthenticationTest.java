package dev.parley.transport.websocket;

import dev.parley.node.Node;
import dev.parley.spi.node.NodeLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket that never finishes the WebSocket upgrade is closed when the node's pre-authentication
 * time is over (the TCK's rules 3.10 and 3.11 cover a silent socket and a session that does not
 * authenticate).
 */
@Timeout(30)
class PreAuthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private Node node;

    @BeforeEach
    void start() {
        node = Node.builder().name("ws-pre-authentication").listen("ws://127.0.0.1:0")
                .limits(NodeLimits.builder().preAuthenticationTimeout(Duration.ofSeconds(1)).build()).build().start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anUpgradeRequestNeverFinishedIsClosed() throws IOException {
        URI ws = node.endpoint("ws");
        try (Socket raw = new Socket(ws.getHost(), ws.getPort())) {
            raw.setSoTimeout((int) WAIT.toMillis()); // a read that times out fails the test
            raw.getOutputStream().write(("GET /parley HTTP/1.1\r\nHost: " + ws.getHost() + "\r\nUpgrade: websocket\r\n")
                    .getBytes(StandardCharsets.US_ASCII)); // half a request: the headers never end
            raw.getOutputStream().flush();
            assertThat(readUntilClosed(raw.getInputStream())).as("bytes the node answered").isZero();
        }
        assertThat(node.connectionCount()).isZero();
    }

    /** Reads until the node closes (end of stream or a reset); returns how many bytes came before. */
    private static int readUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[4096];
        int total = 0;
        try {
            for (int n; (n = in.read(sink)) >= 0; ) {
                total += n;
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
        return total;
    }
}
