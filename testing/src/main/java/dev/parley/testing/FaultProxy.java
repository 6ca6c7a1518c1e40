package dev.parley.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For tests and demos: a TCP proxy on loopback between clients and a node that injects real network faults:
 * {@link #resetAll() reset} (RST, no FIN), {@link #stall() stall} (connections stay open, bytes are
 * held, nothing arrives), {@link #slow(Duration) slow} (a delay before every chunk) and
 * {@link #cutMidFrame() cut mid-frame} (half of the next chunk from the node, then a reset).
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final int CHUNK = 8 * 1024;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private final AtomicLong slowNanos = new AtomicLong();
    private final AtomicBoolean cutNext = new AtomicBoolean();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "parley-testing-proxy-accept-" + IDS.incrementAndGet());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy in front of {@code target} (host:port of a node endpoint). */
    public static FaultProxy start(URI target) {
        try {
            return new FaultProxy(new InetSocketAddress(target.getHost(), target.getPort()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    /** The proxy's address with the given scheme, for clients. */
    public URI uri(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort());
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    public int openConnections() {
        return pairs.size();
    }

    /** Resets every open connection (RST on both sides). */
    public void resetAll() {
        pairs.forEach(Pair::reset);
    }

    /** From now on nothing is forwarded, on old and new connections, and nothing is closed, until {@link #resume()}. */
    public void stall() {
        stalled = true;
    }

    /** Ends a stall or a slowdown; held bytes flow again. */
    public void resume() {
        slowNanos.set(0);
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    /** Delays every forwarded chunk by {@code delay}. */
    public void slow(Duration delay) {
        slowNanos.set(delay.toNanos());
    }

    /** The next chunk from the node is cut in half, then its connection is reset. */
    public void cutMidFrame() {
        cutNext.set(true);
    }

    @Override
    public void close() {
        closed = true;
        resume();
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing proxy socket", e);
        }
        resetAll();
        for (Thread t : List.copyOf(threads)) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                accepted.incrementAndGet();
                Pair pair = new Pair(client, upstream);
                pairs.add(pair);
                pump(pair, client, upstream, false);
                pump(pair, upstream, client, true);
            } catch (IOException e) {
                if (!closed) {
                    log.debug("proxy accept failed", e);
                }
            }
        }
    }

    private void pump(Pair pair, Socket from, Socket to, boolean fromNode) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitGate();
                    long delay = slowNanos.get();
                    if (delay > 0) {
                        TimeUnit.NANOSECONDS.sleep(delay); // the injected fault itself
                    }
                    if (fromNode && n > 1 && cutNext.compareAndSet(true, false)) {
                        out.write(buffer, 0, n / 2);
                        out.flush();
                        pair.reset();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                to.shutdownOutput(); // pass the FIN on
            } catch (IOException | InterruptedException e) {
                pair.reset();
            } finally {
                threads.remove(Thread.currentThread());
                if (from.isClosed() || to.isClosed()) {
                    pairs.remove(pair);
                }
            }
        }, "parley-testing-proxy-pump-" + IDS.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void awaitGate() throws InterruptedException {
        synchronized (gate) {
            while (stalled && !closed) {
                gate.wait();
            }
        }
    }

    /** The two sockets of one proxied connection. */
    private final class Pair {
        private final Socket client;
        private final Socket upstream;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void reset() {
            pairs.remove(this);
            abort(client);
            abort(upstream);
        }

        private void abort(Socket socket) {
            try {
                socket.setSoLinger(true, 0); // close with RST, not FIN
                socket.close();
            } catch (IOException e) {
                log.trace("socket already gone", e);
            }
        }
    }
}
