package dev.parley.node.internal.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToLongFunction;

/**
 * Amounts held per inbox under a maximum (open sessions, bytes of publishes in flight): taken
 * atomically against the maximum, given back when done. An inbox holding nothing has no entry,
 * so inboxes that went away cost nothing. Thread-safe.
 */
final class PerInboxCounts {
    private final ConcurrentMap<String, Long> held = new ConcurrentHashMap<>();

    /**
     * Takes {@code amount} for {@code inbox} unless what it holds, plus {@code alsoUsed} (read under
     * the same per-inbox lock), plus {@code amount} would exceed {@code max}.
     *
     * @return whether it was taken
     */
    boolean tryTake(String inbox, long amount, long max, ToLongFunction<String> alsoUsed) {
        boolean[] taken = {false};
        held.compute(inbox, (k, current) -> {
            long now = current == null ? 0 : current;
            if (now + alsoUsed.applyAsLong(k) + amount > max) {
                return current;
            }
            taken[0] = true;
            return now + amount;
        });
        return taken[0];
    }

    /** Takes {@code amount} for {@code inbox} unless it would then hold more than {@code max}. */
    boolean tryTake(String inbox, long amount, long max) {
        return tryTake(inbox, amount, max, k -> 0);
    }

    /** Gives back {@code amount} taken for {@code inbox}. */
    void giveBack(String inbox, long amount) {
        held.computeIfPresent(inbox, (k, current) -> current - amount <= 0 ? null : current - amount);
    }

    long held(String inbox) {
        return held.getOrDefault(inbox, 0L);
    }
}
