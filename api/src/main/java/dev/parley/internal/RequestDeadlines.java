package dev.parley.internal;

import dev.parley.TransportException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

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
        return bound(future, deadlineNanos, timeout, late -> {
        });
    }

    /**
     * {@link #bound(CompletableFuture, long, Duration)}, handing a value that arrives after the deadline to
     * {@code late} (a subscription nobody waits for any more is cancelled there, not left running).
     */
    public static <T> CompletableFuture<T> bound(CompletableFuture<T> future, long deadlineNanos, Duration timeout,
                                                 Consumer<? super T> late) {
        if (future.isDone()) {
            return future;
        }
        CompletableFuture<T> bounded = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                bounded.completeExceptionally(Failures.unwrap(failure));
            } else if (!bounded.complete(value)) {
                late.accept(value);
            }
        });
        return bounded.orTimeout(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        Failures.unwrap(failure) instanceof TimeoutException timedOut
                                ? noAnswer(timeout, timedOut)
                                : Failures.unwrap(failure)));
    }

    /**
     * The failure of a request the node did not answer within {@code timeout}: retryable.
     *
     * @param cause what noticed it (a timer's {@link TimeoutException}), or null
     */
    public static TransportException noAnswer(Duration timeout, Throwable cause) {
        return new TransportException("no answer from the node within " + timeout, true, cause);
    }
}
