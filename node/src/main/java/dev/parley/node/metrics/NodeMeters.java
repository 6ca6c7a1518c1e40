package dev.parley.node.metrics;

/**
 * The names of the meters a node registers in its {@link dev.parley.node.Node#meterRegistry()}
 * (Micrometer), for dashboards and alerts; each carries the tag {@value #NODE} (the node's name).
 * Latency timers are sampled (at most one sample per millisecond each), so their counts are not
 * event counts; counters and gauges are exact.
 */
public final class NodeMeters {
    /** Gauge: open client connections (sessions), tagged {@value #TRANSPORT}. */
    public static final String CONNECTIONS = "parley.node.connections";
    /** Gauge: open subscriptions over all sessions. */
    public static final String SUBSCRIPTIONS = "parley.node.subscriptions";
    /** Counter: subscriptions opened from a cursor past 0 on some topic (streams resuming after a retry or failover). */
    public static final String SUBSCRIPTIONS_RESUMED = "parley.node.subscriptions.resumed";
    /** Counter: sessions authenticated, tagged {@value #TRANSPORT} (a client authenticates again on each reconnect). */
    public static final String AUTHENTICATIONS = "parley.node.authentications";
    /** Counter: publishes the node took for storing, tagged {@value #TRANSPORT}; its rate is publishes per second. */
    public static final String PUBLISHES = "parley.node.publishes";
    /** Counter: publishes whose idempotency key was already stored (a client re-sending after a lost answer). */
    public static final String PUBLISHES_DUPLICATE = "parley.node.publishes.duplicate";
    /**
     * Counter: requests the node refused, tagged {@code reason}: a limit's name (as in
     * {@link dev.parley.LimitExceededException#limit()}), {@code permission}, {@code protocol},
     * {@code authentication}, {@code storage} or {@code unavailable}.
     */
    public static final String REFUSED = "parley.node.refused";
    /**
     * Timer (sampled): from an entry's append to its hand-off to a subscription's transport; a
     * subscription replaying history shows the age of what it replays.
     */
    public static final String DELIVERY_LAG = "parley.node.delivery.lag";
    /** Timer (sampled): the store's time to make an entry durable or to read, tagged {@code operation} append or read. */
    public static final String STORE_LATENCY = "parley.node.store.latency";
    /** Gauge: most bytes queued for one connection since start. */
    public static final String OUTBOUND_QUEUED_PEAK = "parley.node.outbound.queued.peak";
    /** The tag every meter of a node carries: its name (several nodes may share one registry). */
    public static final String NODE = "node";
    /** The transport tag: grpc, grpcs, ws, wss, inproc, or direct (sessions an embedding opened itself). */
    public static final String TRANSPORT = "transport";

    private NodeMeters() {
    }
}
