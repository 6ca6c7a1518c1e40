package dev.parley.core.conversation;

import dev.parley.ParleyException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.RequestDeadlines;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on transport futures from blocking API calls, with the typed exceptions users expect. */
final class Futures {
    private Futures() {
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause(), timeout);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw failure(e, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while waiting for the node", e);
        }
    }

    /**
     * What a failed or timed-out request of a future means to users: a node that did not answer within
     * {@code timeout} is a retryable {@link TransportException}; anything else its typed exception.
     */
    static ParleyException failure(Throwable thrown, Duration timeout) {
        Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (cause instanceof TimeoutException) {
            return RequestDeadlines.noAnswer(timeout, cause);
        }
        return Failures.asParley(cause);
    }
}
