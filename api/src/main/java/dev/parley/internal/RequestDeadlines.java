package dev.parley.internal;

import dev.parley.TransportException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounding a request's future by a deadline with a timer of its own, for requests no transport bounds
 * ({@link dev.parley.spi.Transport#timesOutRequests()}), or that started after their caller's clock did
 * (a second try, a wait for a connection). Deadlines are {@link System#nanoTime()} times.
 */
public final class RequestDeadlines {
    private RequestDeadlines() {
    }

    /** The deadline of a request made now that may take {@code timeout}. */
    public static long fromNow(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    /**
     * {@code future}, or, when it has not completed by {@code deadlineNanos}, a failure with a retryable
     * {@link TransportException} saying the node did not answer within {@code timeout}. No timer is made
     * for a future already complete.
     */
    public static <T> CompletableFuture<T> bound(CompletableFuture<T> future, long deadlineNanos, Duration timeout) {
        if (future.isDone()) {
            return future;
        }
        return future.orTimeout(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        Failures.unwrap(failure) instanceof TimeoutException timedOut
                                ? new TransportException("no answer from the node within " + timeout, true, timedOut)
                                : Failures.unwrap(failure)));
    }
}
