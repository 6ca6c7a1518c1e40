package dev.parley.node.internal.health;

import dev.parley.node.store.NodeStore;
import dev.parley.spi.node.NodeHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the node's store serves: not for {@link #WINDOW} after it failed a request, and not while
 * its {@link NodeStore#probe() probe} fails. The window covers writes that fail while reads still
 * work (a full disk); it closes by itself, so a node that no one sends to any more comes back.
 * What failed stays in the node's log: health answers go to anyone who asks, like clients' errors.
 */
public final class StoreHealth {
    /** How long a failed store request keeps the node from serving. */
    public static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final NodeStore store;
    private final AtomicLong lastFailure = new AtomicLong(NEVER);

    public StoreHealth(NodeStore store) {
        this.store = store;
    }

    /** The store failed a request just now. */
    public void failed() {
        lastFailure.set(System.nanoTime());
    }

    /** The store's health now: may probe it. */
    public NodeHealth check() {
        long failedAt = lastFailure.get();
        if (failedAt != NEVER && System.nanoTime() - failedAt < WINDOW.toNanos()) {
            return NodeHealth.notServing("store failed a request within the last " + WINDOW.toSeconds() + " s");
        }
        try {
            store.probe();
            return NodeHealth.SERVING;
        } catch (RuntimeException e) {
            log.debug("the node store does not answer its health probe", e);
            return NodeHealth.notServing("store does not answer");
        }
    }
}
