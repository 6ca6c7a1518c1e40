package dev.parley.node.store.postgresql;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToLongFunction;

/**
 * {@link PostgresNodeStore#storedBytes}: table {@code sender_bytes} (kept exact by every node's
 * transactions) read at most once per {@link #FRESH} per sender, raised at once by this node's own
 * commits. So it is exact for what this node wrote and at most {@link #FRESH} behind for what other
 * nodes wrote (a value read while this node's commit lands may count that commit twice until the next
 * read): the per-inbox quota it feeds is enforced per node, within that margin. Thread-safe.
 */
final class SenderBytesCache {
    static final Duration FRESH = Duration.ofSeconds(1);
    private static final int MAX_SENDERS = 100_000;

    private record Known(long bytes, long readAtNs) {
    }

    private final ConcurrentMap<String, Known> bySender = new ConcurrentHashMap<>();
    private final ToLongFunction<String> stored;

    /** {@code stored} reads a sender's bytes from the database (0 for none). */
    SenderBytesCache(ToLongFunction<String> stored) {
        this.stored = stored;
    }

    long of(String sender) {
        long now = System.nanoTime();
        Known known = bySender.get(sender);
        if (known != null && now - known.readAtNs < FRESH.toNanos()) {
            return known.bytes;
        }
        long bytes = stored.applyAsLong(sender);
        if (bySender.size() >= MAX_SENDERS) {
            bySender.clear();
        }
        bySender.put(sender, new Known(bytes, now));
        return bytes;
    }

    /** This node committed {@code changes} (bytes per sender, negative when removed). */
    void committed(Map<String, Long> changes) {
        changes.forEach((sender, delta) -> bySender.computeIfPresent(sender,
                (s, known) -> new Known(known.bytes + delta, known.readAtNs)));
    }

    /** Entries were removed (by a trim): read every sender again. */
    void forgetAll() {
        bySender.clear();
    }
}
