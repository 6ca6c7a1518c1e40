package dev.parley.node.internal.metrics;

import dev.parley.AuthenticationException;
import dev.parley.LimitExceededException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.internal.Failures;
import dev.parley.node.metrics.NodeMeters;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The meters of one node (names: {@link NodeMeters}). The hot path only
 * increments counters; latencies are sampled, at most one sample per {@link #SAMPLE_INTERVAL_NS} per
 * timer, so their cost does not grow with the message rate.
 */
public final class NodeMetrics {
    private static final String STORAGE = "storage";
    /** At most one latency sample per timer per millisecond. */
    static final long SAMPLE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MeterRegistry registry;
    private final Tags node;
    private final Map<String, TransportMeters> transports = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Counter duplicatePublishes;
    private final Counter resumedSubscriptions;
    private final Timer deliveryLag;
    private final Sampler lagSampler = new Sampler(SAMPLE_INTERVAL_NS);
    private final Clock wallClock = Clock.systemUTC();
    private final Timer appendLatency;
    private final Timer readLatency;

    /** Registers the meters of node {@code nodeName} in {@code registry}, each tagged {@code node=nodeName}. */
    public NodeMetrics(MeterRegistry registry, String nodeName) {
        this.registry = registry;
        this.node = Tags.of(NodeMeters.NODE, nodeName);
        this.duplicatePublishes = Counter.builder(NodeMeters.PUBLISHES_DUPLICATE)
                .description("publishes whose idempotency key was already stored: a client re-sending after a lost answer")
                .tags(node).register(registry);
        this.resumedSubscriptions = Counter.builder(NodeMeters.SUBSCRIPTIONS_RESUMED)
                .description("subscriptions opened from a cursor past 0 on some topic: streams resuming after a retry or failover")
                .tags(node).register(registry);
        this.deliveryLag = Timer.builder(NodeMeters.DELIVERY_LAG)
                .description("from an entry's append to its hand-off to a subscription's transport (sampled)")
                .publishPercentiles(0.5, 0.99)
                .tags(node).register(registry);
        this.appendLatency = storeTimer("append");
        this.readLatency = storeTimer("read");
    }

    private Timer storeTimer(String operation) {
        return Timer.builder(NodeMeters.STORE_LATENCY).tag("operation", operation)
                .description("time the node's store takes to make an entry durable (append) or to read (sampled)")
                .publishPercentiles(0.5, 0.99)
                .tags(node).register(registry);
    }

    /** The gauges that read the node's own figures. */
    public void gauges(Supplier<Number> subscriptions, Supplier<Number> outboundQueuedPeak) {
        Gauge.builder(NodeMeters.SUBSCRIPTIONS, subscriptions).description("open subscriptions over all sessions")
                .strongReference(true).tags(node).register(registry);
        Gauge.builder(NodeMeters.OUTBOUND_QUEUED_PEAK, outboundQueuedPeak).baseUnit("bytes")
                .description("most bytes queued for one connection since start").strongReference(true)
                .tags(node).register(registry);
    }

    /** The meters of connections over {@code transport} (created on first use, then shared). */
    public TransportMeters transport(String transport) {
        return transports.computeIfAbsent(transport, t -> new TransportMeters(registry, node.and(NodeMeters.TRANSPORT, t)));
    }

    /**
     * Counts a refused request by why: a limit's name, or permission, protocol, authentication, storage,
     * unavailable; returns that reason.
     */
    public String refused(Throwable failure) {
        String reason = reason(Failures.unwrap(failure));
        refusals.computeIfAbsent(reason, r -> Counter.builder(NodeMeters.REFUSED).tag("reason", r)
                .description("requests the node refused, by reason").tags(node).register(registry)).increment();
        return reason;
    }

    /** Whether {@code reason} (of {@link #refused}) is the store's failure. */
    public static boolean isStorage(String reason) {
        return STORAGE.equals(reason);
    }

    private static String reason(Throwable failure) {
        if (failure instanceof LimitExceededException limit) {
            return limit.limit();
        }
        if (failure instanceof PermissionDeniedException) {
            return "permission";
        }
        if (failure instanceof AuthenticationException) {
            return "authentication";
        }
        if (failure instanceof ProtocolException) {
            return "protocol";
        }
        if (failure instanceof StoreException || failure.getCause() instanceof StoreException) {
            return STORAGE;
        }
        return "unavailable";
    }

    /** A publish found its idempotency key already stored. */
    public void duplicatePublish() {
        duplicatePublishes.increment();
    }

    /** A subscription opened from {@code cursors}: counted as resumed when one of them is past 0. */
    public void subscribed(Map<String, Long> cursors) {
        for (long cursor : cursors.values()) {
            if (cursor > 0) {
                resumedSubscriptions.increment();
                return;
            }
        }
    }

    /** A batch is handed to a subscription's transport: samples the lag of its newest entry. */
    public void delivering(List<Envelope> batch) {
        if (lagSampler.take(System.nanoTime())) {
            Instant now = wallClock.instant();
            long nowNs = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            long lag = nowNs - batch.get(batch.size() - 1).timestampNs();
            deliveryLag.record(Math.max(0, lag), TimeUnit.NANOSECONDS);
        }
    }

    Timer appendLatency() {
        return appendLatency;
    }

    Timer readLatency() {
        return readLatency;
    }

    /** The meters of one transport's connections. */
    public static final class TransportMeters {
        private final AtomicInteger connections = new AtomicInteger();
        private final Counter publishes;
        private final Counter authentications;

        TransportMeters(MeterRegistry registry, Tags tags) {
            Gauge.builder(NodeMeters.CONNECTIONS, connections, AtomicInteger::get).tags(tags)
                    .description("open client connections (sessions)").strongReference(true).register(registry);
            this.publishes = Counter.builder(NodeMeters.PUBLISHES).tags(tags)
                    .description("publishes the node took for storing").register(registry);
            this.authentications = Counter.builder(NodeMeters.AUTHENTICATIONS).tags(tags)
                    .description("sessions authenticated (every reconnect of a client authenticates again)")
                    .register(registry);
        }

        public void opened() {
            connections.incrementAndGet();
        }

        public void closed() {
            connections.decrementAndGet();
        }

        public void published() {
            publishes.increment();
        }

        public void authenticated() {
            authentications.increment();
        }
    }
}
