package dev.parley.cli;

import dev.parley.ParleyException;
import dev.parley.internal.util.NamedThreads;
import dev.parley.node.Node;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreAddresses;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code parley node}: a standalone node that runs until interrupted (Ctrl-C). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {
            "Runs a standalone Parley node until interrupted (Ctrl-C, SIGTERM), e.g.",
            "  parley node --listen grpc://0.0.0.0:5556",
            "  parley node --tls-cert cert.pem --tls-key key.pem --listen grpcs://0.0.0.0:443 --listen wss://0.0.0.0:8443",
            "The node keeps its data in ./parley-data unless told otherwise (--data-dir, --store, --in-memory);",
            "one node process per data directory.",
            "On the way out the node tells its clients it is going away; their streams retry.",
            "Health checks: grpc.health.v1 on a grpc:// port, GET /health on a ws:// port;",
            "--metrics-interval 10s prints the node's figures every 10 seconds.",
            "Each --listen address needs a transport module for its scheme on the class path;",
            "this build serves grpc://, ws:// and, with --tls-cert and --tls-key, grpcs:// and wss://.",
            "Exit code 2 when the node cannot start."})
final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "URI", arity = "1..*",
            description = "Endpoint to serve, e.g. grpc://0.0.0.0:5556 (port 0 picks a free one); repeatable, one per scheme. "
                    + "Without it the node is reachable only in this JVM, at inproc://NAME.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "parley",
            description = "Name of the node (default: ${DEFAULT-VALUE}).")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    StoreChoice storeChoice;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    Tls tls;

    /** The certificate TLS endpoints (grpcs://, wss://) serve: both files or neither. */
    static final class Tls {
        @Option(names = "--tls-cert", paramLabel = "FILE", required = true,
                description = "PEM certificate chain of the node (its own certificate first), for grpcs:// and wss://.")
        Path certificateChain;

        @Option(names = "--tls-key", paramLabel = "FILE", required = true,
                description = "PEM private key of that certificate, unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----).")
        Path privateKey;
    }

    @Option(names = "--retention-age", paramLabel = "AGE", converter = PositiveDuration.class,
            description = "Drop messages older than AGE, e.g. 7d, 12h, 30m, 90s or PT12H (default: keep them).")
    Duration retentionAge;

    @Option(names = "--retention-count", paramLabel = "N",
            description = "Keep at most the newest N messages of each conversation or inbox topic (default: all).")
    Long retentionCount;

    @Option(names = "--limit", paramLabel = "NAME=VALUE", converter = LimitSetting.class,
            description = "Sets one of the node's per-client limits by the name its errors give it (repeatable), e.g. "
                    + "--limit maxSessionsPerInbox=64 --limit maxStoredBytesPerInbox=512MiB. Sizes take B, KiB, MiB, "
                    + "GiB or TiB; times 90s, 5m or PT5S. The limits and their defaults: "
                    + "preAuthenticationTimeout=PT10S, maxSessionsPerInbox=32, maxSubscriptionsPerSession=256, "
                    + "maxTopicsPerSubscription=20000, maxMembersPerConversation=1000, "
                    + "conversationsPerInboxPerMinute=600, maxStoredBytesPerInbox=1073741824, "
                    + "maxOutboundBytesPerConnection=16777216.")
    List<LimitSetting.Setting> limits = new ArrayList<>();

    /** Where the node keeps its data: one of these, or ./parley-data. */
    static final class StoreChoice {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Directory of the node's SQLite database, created if missing (default: ./parley-data).")
        Path dataDir;

        @Option(names = "--in-memory", description = "Keep nothing: the node's data is gone when it stops.")
        boolean inMemory;

        @Option(names = "--store", paramLabel = "URI",
                description = "Store by URI: memory:, sqlite:DIR, postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?schema=S]"
                        + " (nodes naming one database share it), or any scheme whose store module is on the class path.")
        String store;
    }

    @Option(names = "--metrics-interval", paramLabel = "INTERVAL", converter = PositiveDuration.class,
            description = "Print a line of the node's figures (connections, subscriptions, publishes/s, refusals, "
                    + "delivery lag, store latency) every INTERVAL, e.g. 10s or 1m (default: never).")
    Duration metricsInterval;

    static final Path DEFAULT_DATA_DIR = Path.of("parley-data");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String twice = schemeListenedTwice();
        if (twice != null) {
            // the node keeps one endpoint per scheme: a second one would listen but never be shown or closed
            err.println("parley node: cannot start node '" + name + "': more than one --listen for " + twice
                    + "://; a node serves one endpoint per scheme");
            err.flush();
            return 2;
        }
        Node node;
        try {
            Node.Builder builder = Node.builder().name(name).retention(retention())
                    .limits(LimitSetting.limits(limits));
            configureStore(builder);
            if (tls != null) {
                builder.tls(tls.certificateChain, tls.privateKey);
            }
            listen.forEach(builder::listen);
            node = builder.build().start();
        } catch (ParleyException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException
                 | UncheckedIOException e) {
            err.println("parley node: cannot start node '" + name + "': " + e.getMessage());
            err.flush();
            return 2;
        }
        ScheduledExecutorService metrics = printMetrics(node, out);
        Runnable stop = () -> {
            out.println("node " + name + " stopping; telling clients it is going away");
            out.flush();
            if (metrics != null) {
                metrics.shutdownNow();
            }
            node.close();
            out.println("node " + name + " stopped");
            out.flush();
        };
        CountDownLatch closed = new CountDownLatch(1);
        // SIGINT (Ctrl-C) and SIGTERM run shutdown hooks: the node closes gracefully there
        Thread hook = new Thread(() -> {
            try {
                stop.run();
            } finally {
                closed.countDown();
            }
        }, "parley-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("node " + name + " running; " + describeStore() + "; epoch " + node.epoch() + "; endpoints:");
        for (URI endpoint : endpoints(node)) {
            out.println("  " + endpoint);
        }
        out.println("limits: " + LimitSetting.describe(node.limits()));
        out.println("press Ctrl-C to stop");
        out.flush();
        try {
            closed.await();
            return 0;
        } catch (InterruptedException e) {
            // interrupted in this JVM (not by a signal): stop the node ourselves
            boolean hookRemoved;
            try {
                hookRemoved = Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                hookRemoved = false; // the JVM is shutting down: the hook stops the node
            }
            if (hookRemoved) {
                stop.run();
            } else {
                awaitQuietly(closed);
            }
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** With --metrics-interval: prints {@link MetricsLine}s on a timer of their own until stopped; else null. */
    private ScheduledExecutorService printMetrics(Node node, PrintWriter out) {
        if (metricsInterval == null) {
            return null;
        }
        MetricsLine line = new MetricsLine(node.meterRegistry(), System::nanoTime);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                NamedThreads.daemon("parley-node-" + name + "-metrics"));
        timer.scheduleAtFixedRate(() -> {
            out.println(line.next());
            out.flush();
        }, metricsInterval.toNanos(), metricsInterval.toNanos(), TimeUnit.NANOSECONDS);
        return timer;
    }

    private void configureStore(Node.Builder builder) {
        if (storeChoice != null && storeChoice.inMemory) {
            builder.store("memory:");
        } else if (storeChoice != null && storeChoice.store != null) {
            builder.store(storeChoice.store);
        } else {
            builder.dataDir(dataDir());
        }
    }

    private Path dataDir() {
        return storeChoice != null && storeChoice.dataDir != null ? storeChoice.dataDir : DEFAULT_DATA_DIR;
    }

    String describeStore() {
        if (storeChoice != null && storeChoice.inMemory) {
            return "data in memory only";
        }
        if (storeChoice != null && storeChoice.store != null) {
            try {
                return "data in " + StoreAddresses.withoutSecrets(new URI(storeChoice.store));
            } catch (URISyntaxException e) {
                return "data in " + storeChoice.store;
            }
        }
        return "data in " + dataDir().toAbsolutePath();
    }

    private Retention retention() {
        Retention retention = Retention.KEEP_ALL;
        if (retentionAge != null) {
            retention = retention.withMaxAge(retentionAge);
        }
        if (retentionCount != null) {
            retention = retention.withMaxPerTopic(retentionCount);
        }
        return retention;
    }

    /** Waits (at most 30 s) for the shutdown hook to finish, ignoring further interrupts. */
    private static void awaitQuietly(CountDownLatch closed) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (InterruptedException again) {
                // keep waiting; the caller restores the interrupt flag
            }
        }
    }

    /** The first scheme given to --listen more than once, or null. */
    private String schemeListenedTwice() {
        Set<String> schemes = new HashSet<>();
        for (String uri : listen) {
            String scheme;
            try {
                scheme = new URI(uri).getScheme();
            } catch (URISyntaxException e) {
                continue; // Node.Builder.listen reports it
            }
            if (scheme != null && !schemes.add(scheme)) {
                return scheme;
            }
        }
        return null;
    }

    private Set<URI> endpoints(Node node) {
        Set<URI> endpoints = new LinkedHashSet<>();
        endpoints.add(node.endpoint("inproc"));
        for (String uri : listen) {
            endpoints.add(node.endpoint(URI.create(uri).getScheme()));
        }
        return endpoints;
    }
}
