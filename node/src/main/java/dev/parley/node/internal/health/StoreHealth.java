package dev.parley.node.internal.health;

import dev.parley.node.store.NodeStore;
import dev.parley.spi.node.NodeHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the node's store serves, known without asking it: {@link #check()} never blocks, so
 * endpoints may answer health checks on their I/O threads. The node {@link #probe() probes} the store
 * every {@link #PROBE_INTERVAL}; the store does not serve while its last probe failed, while a probe
 * has been waiting for more than {@link #WINDOW}, and for {@link #WINDOW} after it failed a client's
 * request (writes may fail while reads still work: a full disk). The window closes by itself, so a
 * node that no one sends to any more comes back. What failed stays in the node's log: health answers
 * go to anyone who asks, like clients' errors.
 */
public final class StoreHealth {
    /** How often the node probes its store. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** How long a failed store request, or a probe without an answer, keeps the node from serving. */
    public static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final NodeStore store;
    private final AtomicLong lastFailure = new AtomicLong(NEVER);
    /** When the probe under way started, {@link #NEVER} when none is. */
    private final AtomicLong probing = new AtomicLong(NEVER);
    private volatile boolean probeFailed;

    public StoreHealth(NodeStore store) {
        this.store = store;
    }

    /** The store failed a client's request just now. */
    public void failed() {
        lastFailure.set(System.nanoTime());
    }

    /** Asks the store whether it answers, unless a probe is under way; blocks as long as the store takes. */
    public void probe() {
        if (!probing.compareAndSet(NEVER, System.nanoTime())) {
            return;
        }
        try {
            store.probe();
            probeFailed = false;
        } catch (RuntimeException e) {
            if (!probeFailed) {
                log.warn("the node store does not answer its health probe; the node reports NOT_SERVING", e);
            }
            probeFailed = true;
        } finally {
            probing.set(NEVER);
        }
    }

    /** The store's health as last seen; never blocks. */
    public NodeHealth check() {
        long now = System.nanoTime();
        long failedAt = lastFailure.get();
        if (failedAt != NEVER && now - failedAt < WINDOW.toNanos()) {
            return NodeHealth.notServing("store failed a request within the last " + WINDOW.toSeconds() + " s");
        }
        long probeStarted = probing.get();
        if (probeFailed || probeStarted != NEVER && now - probeStarted > WINDOW.toNanos()) {
            return NodeHealth.notServing("store does not answer");
        }
        return NodeHealth.SERVING;
    }
}
