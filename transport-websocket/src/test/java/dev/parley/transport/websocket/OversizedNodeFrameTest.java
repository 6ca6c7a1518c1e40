package dev.parley.transport.websocket;

import dev.parley.Identity;
import dev.parley.TransportException;
import dev.parley.spi.TransportConfig;
import dev.parley.internal.util.WireLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A hostile node (a raw socket speaking just enough WebSocket) answers the client's upgrade, then
 * announces a frame of 1 GiB and never sends its payload. The client refuses it from the header,
 * closing with 1009 at once (it buffers nothing: there is nothing to buffer), and connecting fails
 * with a retryable {@link TransportException} naming the limit.
 */
@Timeout(30)
class OversizedNodeFrameTest {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ExecutorService connections = Executors.newCachedThreadPool();
    private final List<Integer> clientCloseCodes = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @AfterEach
    void stop() throws Exception {
        server.close();
        connections.shutdownNow();
        assertThat(connections.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFrameOverTheLimitFailsTheConnectionRetryablyFromItsHeader() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptAll);
        URI endpoint = URI.create("ws://127.0.0.1:" + server.getLocalPort());
        TransportConfig config = TransportConfig.builder().authenticator(Identity.generate())
                .requestTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> new WebSocketTransportProvider().connect(endpoint, config).close())
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e).hasMessageContaining("larger than " + WireLimits.MAX_FRAME_BYTES);
                });
        // the fake node's thread reads the client's close frame on its own time
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(clientCloseCodes).isNotEmpty().allMatch(code -> code == CloseCodes.TOO_BIG));
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // server closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String key = null;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            byte[] accept = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(accept) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // a binary frame announcing 1 GiB of payload, none of which ever comes
            out.write(ByteBuffer.allocate(10).put((byte) 0x82).put((byte) 127).putLong(1L << 30).array());
            out.flush();
            clientCloseCodes.add(closeCodeOfClient(in));
        } catch (Exception e) {
            // the client went away; the assertions on the recorded close codes tell
        }
    }

    /** Reads the client's (masked) frames until its close frame; returns the close code. */
    private static int closeCodeOfClient(DataInputStream in) throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[(second & 0x80) != 0 ? 4 : 0];
            in.readFully(mask);
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length && mask.length == 4; i++) {
                payload[i] ^= mask[i % 4];
            }
            if (opcode == 0x8) {
                return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            }
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
