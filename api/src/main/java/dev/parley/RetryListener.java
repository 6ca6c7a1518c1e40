package dev.parley;

/** Told before each retry attempt of a stream. */
@FunctionalInterface
public interface RetryListener {
    /**
     * @param attempt     1 for the first retry after a disconnect, counting up
     * @param maxAttempts the configured {@code retryAttempts}
     */
    void onRetry(int attempt, int maxAttempts);
}
