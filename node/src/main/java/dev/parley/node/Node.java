package dev.parley.node;

import dev.parley.TransportException;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.Shutdown;
import dev.parley.node.internal.health.StoreHealth;
import dev.parley.node.internal.metrics.MeteredNodeStore;
import dev.parley.node.internal.metrics.NodeMetrics;
import dev.parley.node.internal.session.DefaultNodeSession;
import dev.parley.node.internal.session.NodeOperations;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.NodeStoreProvider;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreAddresses;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeHealth;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import dev.parley.spi.node.NodeTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference Parley node: per-topic logs, fan-out to subscriptions, authentication and access
 * control, and the endpoints of every transport module on the class path.
 * <pre>{@code
 * try (Node node = Node.builder().name("dev").listen("grpc://127.0.0.1:0").build().start()) {
 *     URI grpc = node.endpoint("grpc");   // clients in this JVM can also use inproc://dev
 * }
 * }</pre>
 * Each endpoint answers health checks with {@link #health()}; the node counts what it does in
 * {@link #meterRegistry()} (Micrometer: {@code parley.node.*}).
 */
public final class Node implements NodeAccess, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final String INPROC = "inproc";
    private static final URI MEMORY = URI.create("memory:/");
    /** Transport tag of sessions opened by calling {@link #openSession} directly (not through an endpoint). */
    private static final String DIRECT = "direct";
    private static final SchemeProviders<EndpointProvider> ENDPOINTS = new SchemeProviders<>(EndpointProvider.class,
            EndpointProvider::scheme, "node endpoint",
            scheme -> "dev.parley:parley-transport-" + (scheme.startsWith("ws") ? "websocket"
                    : "grpcs".equals(scheme) ? "grpc" : scheme));
    private static final SchemeProviders<NodeStoreProvider> STORES = new SchemeProviders<>(NodeStoreProvider.class,
            NodeStoreProvider::scheme, "node store", scheme -> "dev.parley:parley-node-store-" + scheme);

    private final String name;
    private final List<URI> listen;
    private final URI storeUri;
    private final Retention retention;
    private final Duration retentionInterval;
    private final NodeLimits limits;
    private final NodeTls tls;
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final AtomicLong outboundQueuedPeak = new AtomicLong();
    private final Set<DefaultNodeSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final ExecutorService deliveryExecutor;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry meterRegistry;
    private final boolean ownsMeterRegistry;
    private final NodeMetrics metrics;
    private volatile StoreHealth storeHealth;
    private volatile NodeStore store;
    private volatile NodeOperations operations;
    private volatile boolean started;
    private volatile boolean closed;

    private Node(Builder b) {
        this.name = b.name;
        this.listen = List.copyOf(b.listen);
        this.storeUri = b.store;
        this.retention = b.retention;
        this.retentionInterval = b.retentionInterval;
        this.limits = b.limits;
        this.tls = b.tls;
        this.ownsMeterRegistry = b.meterRegistry == null;
        this.meterRegistry = ownsMeterRegistry ? new SimpleMeterRegistry() : b.meterRegistry;
        this.metrics = new NodeMetrics(meterRegistry, name);
        metrics.gauges(this::subscriptionCount, outboundQueuedPeak::get);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.deliveryExecutor = Executors.newFixedThreadPool(threads, NamedThreads.daemon("parley-node-" + name + "-delivery"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("parley-node-" + name + "-timer"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the store, then starts every {@code listen} endpoint, and {@code inproc://NAME} unless an
     * inproc address was given (the in-process transport comes with this module). Returns this node.
     *
     * @throws dev.parley.node.store.StoreException the store cannot be opened (corrupt, foreign, unwritable)
     */
    public synchronized Node start() {
        if (started) {
            throw new IllegalStateException("node " + name + " already started");
        }
        started = true;
        try {
            store = new MeteredNodeStore(STORES.forScheme(storeUri.getScheme()).open(storeUri), metrics);
            storeHealth = new StoreHealth(store);
            operations = new NodeOperations(store, limits, deliveryExecutor, scheduler, metrics, storeHealth);
            log.info("node {} keeps its data in {} (epoch {}, retention {})", name,
                    StoreAddresses.withoutSecrets(storeUri), store.epoch(), describe(retention));
            scheduler.scheduleWithFixedDelay(() -> deliveryExecutor.execute(storeHealth::probe),
                    StoreHealth.PROBE_INTERVAL.toNanos(), StoreHealth.PROBE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
            if (!retention.keepsAll()) {
                scheduler.scheduleWithFixedDelay(() -> deliveryExecutor.execute(this::trim), 0,
                        retentionInterval.toNanos(), TimeUnit.NANOSECONDS);
            }
            for (URI bind : addresses()) {
                Endpoint endpoint = ENDPOINTS.forScheme(bind.getScheme())
                        .start(new EndpointAccess(this, bind.getScheme()), bind);
                endpoints.put(bind.getScheme(), endpoint);
                log.info("node {} listening on {}", name, endpoint.address());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Applies the retention; runs on the delivery executor, one at a time. */
    private void trim() {
        if (closed || !trimming.compareAndSet(false, true)) {
            return;
        }
        try {
            long removed = store.trim(retention);
            if (removed > 0) {
                log.info("node {} removed {} entries beyond its retention ({})", name, removed, describe(retention));
            }
        } catch (RuntimeException e) {
            log.warn("node {}: applying retention failed; trying again in {}", name, retentionInterval, e);
        } finally {
            trimming.set(false);
        }
    }

    private static String describe(Retention retention) {
        if (retention.keepsAll()) {
            return "keep everything";
        }
        List<String> limits = new ArrayList<>();
        retention.maxAge().ifPresent(age -> limits.add("at most " + age + " old"));
        retention.maxPerTopic().ifPresent(count -> limits.add("at most " + count + " per topic"));
        return String.join(", ", limits);
    }

    /** The configured addresses, plus {@code inproc://NAME} when none of them is in-process. */
    private List<URI> addresses() {
        List<URI> all = new ArrayList<>();
        if (listen.stream().noneMatch(u -> u.getScheme().equals(INPROC)) && ENDPOINTS.find(INPROC).isPresent()) {
            all.add(URI.create(INPROC + "://" + name));
        }
        all.addAll(listen);
        return all;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String epoch() {
        NodeStore open = store;
        if (open == null) {
            throw new IllegalStateException("node " + name + " is not started");
        }
        return open.epoch();
    }

    @Override
    public NodeLimits limits() {
        return limits;
    }

    /** The bound address of the endpoint of {@code scheme} ({@code inproc} always works once started). */
    public URI endpoint(String scheme) {
        Endpoint endpoint = endpoints.get(scheme);
        if (endpoint == null) {
            throw new IllegalArgumentException("node " + name + " has no " + scheme + " endpoint; listening on "
                    + endpoints.keySet());
        }
        return endpoint.address();
    }

    @Override
    public Optional<NodeTls> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * Whether this node serves: not before {@link #start()} has opened its store, not once
     * {@link #close()} began, not while its store fails (its {@link dev.parley.node.store.NodeStore#probe()
     * probe}, every second, or a client's request); its endpoints answer health checks with it. Never blocks.
     */
    @Override
    public NodeHealth health() {
        if (closed) {
            return NodeHealth.notServing("closing");
        }
        StoreHealth open = storeHealth;
        if (open == null || operations == null) {
            return NodeHealth.notServing("starting");
        }
        return open.check();
    }

    /**
     * Where this node counts what it does ({@code parley.node.*}, tagged by transport where it
     * applies): the registry given to {@link Builder#meterRegistry}, else a {@link SimpleMeterRegistry}
     * of the node's own (closed with it).
     */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    @Override
    public NodeSession openSession(String remoteAddress, byte[] channelBinding) {
        return openSession(remoteAddress, channelBinding, DIRECT);
    }

    /** A session of a connection that came over {@code transport} (an endpoint's scheme). */
    NodeSession openSession(String remoteAddress, byte[] channelBinding, String transport) {
        if (closed || !started) {
            throw new TransportException("node " + name + " is not running", true);
        }
        DefaultNodeSession session = new DefaultNodeSession(operations, name, channelBinding, remoteAddress,
                metrics.transport(transport), sessions::remove);
        sessions.add(session);
        if (closed) {
            session.terminate(goingAway());
        }
        return session;
    }

    /** Cuts every live connection; clients see a retryable disconnect. */
    public void dropConnections() {
        drop(Optional.empty());
    }

    /** Cuts the live connections of one inbox. */
    public void dropConnections(String inboxId) {
        drop(Optional.of(Objects.requireNonNull(inboxId, "inboxId")));
    }

    @Override
    public void outboundQueued(long bytes) {
        outboundQueuedPeak.accumulateAndGet(bytes, Math::max);
    }

    /**
     * The most bytes this node's endpoints have held queued for one connection since start, never
     * more than {@link NodeLimits#maxOutboundBytesPerConnection()}: how far behind its slowest
     * reader got (for operators and tests).
     */
    public long outboundQueuedPeakBytes() {
        return outboundQueuedPeak.get();
    }

    /** Number of open client sessions (connections), for operators and tests. */
    public int connectionCount() {
        return sessions.size();
    }

    /**
     * Number of open subscriptions over all sessions, for operators and tests: each counts from
     * its start until it ends for any reason (cancel, error, its session's end).
     */
    public int subscriptionCount() {
        NodeOperations open = operations;
        return open == null ? 0 : open.subscriptionCount();
    }

    private void drop(Optional<String> inboxId) {
        for (DefaultNodeSession session : List.copyOf(sessions)) {
            if (inboxId.isEmpty() || inboxId.get().equals(session.inboxId())) {
                session.terminate(new TransportException("connection dropped by the node", true));
            }
        }
    }

    /** Stops endpoints, tells every client to go away (their streams retry), frees all threads. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // tell every client first (their streams retry elsewhere), then stop listening
        for (DefaultNodeSession session : List.copyOf(sessions)) {
            session.terminate(goingAway());
        }
        endpoints.values().forEach(Endpoint::close);
        Shutdown.stop(deliveryExecutor, scheduler, Duration.ofSeconds(5));
        if (store != null) {
            store.close();
        }
        if (ownsMeterRegistry) {
            meterRegistry.close();
        }
        log.info("node {} closed", name);
    }

    private TransportException goingAway() {
        return new TransportException("node " + name + " is shutting down", true);
    }

    /** Configures a {@link Node}. */
    public static final class Builder {
        private String name = "parley";
        private final List<URI> listen = new ArrayList<>();
        private URI store = MEMORY;
        private Retention retention = Retention.KEEP_ALL;
        private Duration retentionInterval = Duration.ofMinutes(1);
        private NodeLimits limits = NodeLimits.DEFAULTS;
        private NodeTls tls;
        private MeterRegistry meterRegistry;

        /**
         * Where the node registers its meters ({@code parley.node.*}), e.g. an application's Prometheus
         * registry; the node does not close it. Default: a {@link SimpleMeterRegistry} of the node's own.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        public Builder name(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("node name must be letters, digits, '.', '_' or '-', was " + name);
            }
            this.name = name;
            return this;
        }

        /**
         * Adds an endpoint, e.g. {@code grpc://127.0.0.1:5556}, or with TLS (see {@link #tls(Path, Path)})
         * {@code grpcs://0.0.0.0:443}, {@code wss://0.0.0.0:443}; port 0 picks a free port. A TLS scheme
         * without {@code tls(..)} fails {@link Node#start()} with {@link IllegalStateException}.
         */
        public Builder listen(String uri) {
            try {
                URI bind = new URI(uri);
                if (bind.getScheme() == null) {
                    throw new IllegalArgumentException("listen address needs a scheme: " + uri);
                }
                if (listen.stream().anyMatch(u -> u.getScheme().equals(bind.getScheme()))) {
                    throw new IllegalArgumentException("a node listens on one address per scheme; "
                            + bind.getScheme() + " is already given");
                }
                listen.add(bind);
                return this;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed listen address '" + uri + "'", e);
            }
        }

        /**
         * Where the node keeps its logs, conversations and idempotency keys, by URI scheme:
         * {@code memory:} (the default: gone with the JVM), {@code sqlite:<dir>} (see {@link #dataDir}),
         * or any scheme whose {@link NodeStoreProvider} is on the class path.
         */
        public Builder store(URI store) {
            this.store = Objects.requireNonNull(store, "store");
            if (store.getScheme() == null) {
                throw new IllegalArgumentException("store needs a scheme, e.g. memory: or sqlite:/var/lib/parley, was "
                        + store);
            }
            return this;
        }

        /** {@link #store(URI)} from text; a bare scheme such as {@code memory:} is allowed. */
        public Builder store(String store) {
            Objects.requireNonNull(store, "store");
            try {
                return store(new URI(store.matches("[A-Za-z][A-Za-z0-9+.-]*:") ? store + "/" : store));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed store address '" + store + "'", e);
            }
        }

        /** Keeps the node's data in SQLite files in {@code dataDir} (created if missing): {@code store(sqlite:<dir>)}. */
        public Builder dataDir(Path dataDir) {
            Objects.requireNonNull(dataDir, "dataDir");
            return store(URI.create("sqlite:" + dataDir.toAbsolutePath().toUri().getRawPath()));
        }

        /**
         * How much of each topic the node keeps (default {@link Retention#KEEP_ALL}), applied at start
         * and then every {@link #retentionInterval}. A client reading from before what is kept gets
         * the first entry still kept (sequences say what is missing).
         */
        public Builder retention(Retention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** How often the retention is applied (default one minute). */
        public Builder retentionInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("retention interval must be positive, was " + interval);
            }
            this.retentionInterval = interval;
            return this;
        }

        /** What one client may make this node hold or do (default {@link NodeLimits#DEFAULTS}). */
        public Builder limits(NodeLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Serves TLS endpoints ({@code listen("grpcs://0.0.0.0:443")}, {@code listen("wss://0.0.0.0:443")})
         * with this certificate chain (the node's certificate first, PEM) and its private key (unencrypted
         * PKCS#8 PEM, {@code -----BEGIN PRIVATE KEY-----}). Clients check that the certificate names the
         * host they dial, and sign their authentication for this certificate (channel binding).
         *
         * @throws IllegalArgumentException a file does not parse, or the key is not the certificate's
         * @throws UncheckedIOException     a file cannot be read
         */
        public Builder tls(Path certificateChainPem, Path privateKeyPem) {
            return tls(read(certificateChainPem), read(privateKeyPem));
        }

        /** {@link #tls(Path, Path)} from PEM bytes. */
        public Builder tls(byte[] certificateChainPem, byte[] privateKeyPem) {
            this.tls = NodeTls.fromPem(certificateChainPem, privateKeyPem);
            return this;
        }

        /** {@link #tls(Path, Path)} from PEM streams, read to their end (not closed). */
        public Builder tls(InputStream certificateChainPem, InputStream privateKeyPem) {
            try {
                return tls(certificateChainPem.readAllBytes(), privateKeyPem.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the TLS certificate or key", e);
            }
        }

        private static byte[] read(Path file) {
            try {
                return Files.readAllBytes(Objects.requireNonNull(file, "file"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        public Node build() {
            return new Node(this);
        }
    }
}
