package dev.parley.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Stands in for a node: a loopback server whose accepted sockets a test reads and writes itself. */
final class LoopbackServer implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    LoopbackServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "loopback-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    /** The next connection the server accepted, waiting at most {@code wait}. */
    Socket nextAccepted(Duration wait) throws InterruptedException {
        Socket socket = accepted.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (socket == null) {
            throw new AssertionError("no connection reached the server within " + wait);
        }
        return socket;
    }

    private void acceptLoop() {
        try {
            while (true) {
                accepted.add(server.accept());
            }
        } catch (IOException closed) {
            // the server socket was closed: stop accepting
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(TimeUnit.SECONDS.toMillis(5));
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
