package dev.parley.core.stream;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Delay before retry attempt N: fixed when configured, else exponential 250 ms → 30 s with equal jitter. */
final class RetryPolicy {
    static final Duration INITIAL = Duration.ofMillis(250);
    static final Duration MAX = Duration.ofSeconds(30);

    private final Duration fixed;
    private final RandomGenerator jitter;

    RetryPolicy(Duration fixed, RandomGenerator jitter) {
        this.fixed = fixed;
        this.jitter = jitter;
    }

    /** @param attempt 1 for the first retry */
    Duration delay(int attempt) {
        if (fixed != null) {
            return fixed;
        }
        long ceiling = INITIAL.toMillis() << Math.min(Math.max(attempt - 1, 0), 16);
        long capped = Math.min(ceiling, MAX.toMillis());
        // half fixed, half random: spreads many clients reconnecting at once, still grows
        long jittered = capped / 2 + jitter.nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
