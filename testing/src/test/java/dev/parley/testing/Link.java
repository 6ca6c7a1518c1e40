package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/** One connection through a {@link Faults} endpoint: the client's socket and the one the server side accepted. */
record Link(Socket client, Socket server) implements AutoCloseable {
    private static final byte HELLO = 42;

    /** Connects to {@code faults.endpoint()} and picks up the server's side; every read is bounded by {@code wait}. */
    static Link connect(Faults faults, LoopbackServer server, Duration wait) throws IOException, InterruptedException {
        Socket client = new Socket(faults.endpoint().getHost(), faults.endpoint().getPort());
        Socket accepted = server.nextAccepted(wait);
        client.setSoTimeout((int) wait.toMillis());
        accepted.setSoTimeout((int) wait.toMillis());
        return new Link(client, accepted);
    }

    /**
     * Passes one byte from client to server: once it arrived the proxy has set the connection up
     * completely, and a fault injected from now on hits it. Returns this link.
     */
    Link established() throws IOException {
        write(client, new byte[] {HELLO});
        if (server.getInputStream().read() != HELLO) {
            throw new AssertionError("the first byte did not make it through");
        }
        return this;
    }

    /** How reading a socket up to its end went: the bytes that arrived and whether it ended with a reset. */
    record Ending(byte[] bytes, boolean reset) {
    }

    /** Reads until end of stream or a reset; a read timeout fails the test (it throws). */
    static Ending readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                got.write(buffer, 0, n);
            }
            return new Ending(got.toByteArray(), false);
        } catch (SocketException reset) {
            return new Ending(got.toByteArray(), true);
        }
    }

    static void write(Socket socket, byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** {@code length} bytes counting up from 0 (mod 251), so a gap or a swap shows. */
    static byte[] numbered(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
