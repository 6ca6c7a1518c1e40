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
 * {@link #cutMidFrame() cut mid-frame} (half of the next chunk from the node, then a reset),
 * {@link #blackhole() blackhole} (the connections open now go silent for good, new ones work) and
 * {@link #stopReadingFromNode() stop reading from the node} (a client that never reads its socket).
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

    /**
     * Every connection open now goes silent in both directions for good, without FIN or RST, as
     * when a NAT forgets it or a cable is pulled: the proxy stops reading from both of its sockets,
     * so their senders' buffers fill. Connections made later are not affected; {@link #resume()}
     * does not revive the silenced ones ({@link #close()} resets them).
     */
    public void blackhole() {
        pairs.forEach(pair -> pair.hold(true, true));
    }

    /**
     * On every connection open now the proxy stops reading what the node sends (the node's socket
     * buffers fill as if the client never read), while what the client sends still reaches the node.
     * For good, like {@link #blackhole()}.
     */
    public void stopReadingFromNode() {
        pairs.forEach(pair -> pair.hold(true, false));
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
        // the acceptor first, so that a connection it was still setting up is reset too
        awaitEnd(acceptor);
        resetAll();
        List.copyOf(threads).forEach(FaultProxy::awaitEnd);
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
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
            try {
                if (forward(pair, from.getInputStream(), to.getOutputStream(), fromNode)) {
                    to.shutdownOutput(); // pass the FIN on
                    pair.oneWayEnded();
                }
            } catch (IOException | InterruptedException e) {
                pair.reset();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "parley-testing-proxy-pump-" + IDS.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Copies {@code in} to {@code out} with the faults of the moment up to end of stream; false if it cut the pair. */
    private boolean forward(Pair pair, InputStream in, OutputStream out, boolean fromNode)
            throws IOException, InterruptedException {
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            awaitGate(pair, fromNode);
            long delay = slowNanos.get();
            if (delay > 0) {
                TimeUnit.NANOSECONDS.sleep(delay); // the injected fault itself
            }
            if (fromNode && n > 1 && cutNext.compareAndSet(true, false)) {
                out.write(buffer, 0, n / 2);
                out.flush();
                pair.reset();
                return false;
            }
            out.write(buffer, 0, n);
            out.flush();
        }
        return true;
    }

    /** Waits while the proxy is stalled or this direction of {@code pair} is held, until the proxy closes. */
    private void awaitGate(Pair pair, boolean fromNode) throws InterruptedException {
        synchronized (gate) {
            while ((stalled || pair.held(fromNode)) && !closed) {
                gate.wait();
            }
        }
    }

    /** The two sockets of one proxied connection. */
    private final class Pair {
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger openDirections = new AtomicInteger(2);
        private volatile boolean holdFromNode;
        private volatile boolean holdToNode;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /** From now on the given directions forward nothing (the pumps stop reading), until the proxy closes. */
        void hold(boolean fromNode, boolean toNode) {
            holdFromNode |= fromNode;
            holdToNode |= toNode;
        }

        boolean held(boolean fromNode) {
            return fromNode ? holdFromNode : holdToNode;
        }

        /** Closes both sockets with RST, not FIN. Only this closes a socket before both directions ended. */
        void reset() {
            pairs.remove(this);
            close(client, true);
            close(upstream, true);
        }

        /** One direction passed its end of stream on; once both have, the sockets are closed normally. */
        void oneWayEnded() {
            if (openDirections.decrementAndGet() == 0) {
                pairs.remove(this);
                close(client, false);
                close(upstream, false);
            }
        }

        private void close(Socket socket, boolean abort) {
            try {
                if (abort) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            } catch (IOException e) {
                log.trace("socket already gone", e);
            }
        }
    }
}
