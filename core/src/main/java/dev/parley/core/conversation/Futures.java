package dev.parley.core.conversation;

import dev.parley.ParleyException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
            throw Failures.asParley(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TransportException("no answer from the node within " + timeout, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while waiting for the node", e);
        }
    }
}
