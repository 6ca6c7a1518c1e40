package dev.parley.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For tests: a man in the middle that terminates TLS with its own certificate and passes the bytes
 * on to a node over a TLS connection of its own, as a malicious node relaying another node's
 * challenge would. Clients that trust the relay's certificate talk to the real node through it.
 */
public final class TlsRelay implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final URI target;
    /** ALPN protocols the relay accepts; it offers the node the one the client chose. */
    private static final String[] PROTOCOLS = {"h2", "http/1.1"};

    private final SSLContext upstream;
    private final SSLServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final int id = IDS.incrementAndGet();
    private volatile boolean closed;

    private TlsRelay(SSLContext presented, SSLContext upstream, URI target) throws IOException {
        this.target = target;
        this.upstream = upstream;
        this.server = (SSLServerSocket) presented.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        SSLParameters parameters = server.getSSLParameters();
        parameters.setApplicationProtocols(PROTOCOLS);
        server.setSSLParameters(parameters);
        start("accept", this::acceptLoop);
    }

    /**
     * Relays TLS connections to {@code target} (host:port of a TLS node endpoint).
     *
     * @param presented the relay's own certificate (e.g. {@link TestCertificates.Issued#serverContext()})
     * @param upstream  how the relay trusts the node (e.g. {@link TestCertificates.Authority#clientContext()})
     */
    public static TlsRelay start(SSLContext presented, SSLContext upstream, URI target) {
        try {
            return new TlsRelay(presented, upstream, target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the TLS relay", e);
        }
    }

    /** The relay's address with {@code scheme}, for clients. */
    public URI uri(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort());
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                sockets.add(client);
                start("connection", () -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(SSLSocket client) {
        try {
            client.startHandshake();
            SSLSocket node = (SSLSocket) upstream.getSocketFactory().createSocket(target.getHost(), target.getPort());
            sockets.add(node);
            if (closed) {
                closeQuietly(node);
                return;
            }
            String chosen = client.getApplicationProtocol(); // "h2" for gRPC, none for WebSocket
            if (chosen != null && !chosen.isEmpty()) {
                SSLParameters parameters = node.getSSLParameters();
                parameters.setApplicationProtocols(new String[]{chosen});
                node.setSSLParameters(parameters);
            }
            node.startHandshake();
            start("to-node", () -> pump(client, node));
            pump(node, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other follows
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void start(String what, Runnable task) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "parley-testing-tls-relay-" + id + "-" + what);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Closes the listener and every relayed connection, and waits for its threads to end. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(TlsRelay::closeQuietly);
        for (Thread thread : Set.copyOf(threads)) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
