package dev.parley.core.stream;

import dev.parley.ParleyException;
import dev.parley.TransportException;

import java.time.Duration;

/**
 * The retry budget of one stream: failed attempts since it was last stable, and whether a failure
 * may be retried. The count resets once a restarted stream stayed live for a heartbeat interval,
 * so unrelated blips over years never exhaust it while a flapping node does.
 */
final class Retries {
    private final boolean enabled;
    private final int maxAttempts;
    private final RetryPolicy policy;
    private int failed;

    Retries(boolean enabled, int maxAttempts, RetryPolicy policy) {
        this.enabled = enabled;
        this.maxAttempts = maxAttempts;
        this.policy = policy;
    }

    /** True when {@code error} may be retried and attempts are left. */
    boolean allow(ParleyException error) {
        return enabled && error instanceof TransportException transport && transport.isRetryable()
                && failed < maxAttempts;
    }

    /** Counts a failed attempt; returns the delay before the next one. */
    Duration next() {
        failed++;
        return policy.delay(failed);
    }

    int failed() {
        return failed;
    }

    int max() {
        return maxAttempts;
    }

    void reset() {
        failed = 0;
    }
}
