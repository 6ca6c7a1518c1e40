package dev.parley.transport;

import dev.parley.TransportException;
import dev.parley.protocol.NodeFrame;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests waiting for their answer, by request id, each with a deadline. One periodic sweep
 * per connection times them out (a request fails between {@code timeout} and
 * {@code timeout + tick} after it was sent): a timer task per request costs a priority-queue
 * insert and removal under a lock on every publish.
 */
final class PendingRequests {
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final ScheduledFuture<?> sweep;

    PendingRequests(Duration timeout, ScheduledExecutorService timers) {
        this.timeout = timeout;
        long tick = Math.min(MAX_TICK_NANOS, Math.max(MIN_TICK_NANOS, timeout.toNanos() / 8));
        this.sweep = timers.scheduleWithFixedDelay(this::expire, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Registers request {@code id}; its future completes with the answer, an error, or a timeout. */
    CompletableFuture<NodeFrame> register(long id) {
        CompletableFuture<NodeFrame> response = new CompletableFuture<>();
        pending.put(id, new Pending(response, System.nanoTime() + timeout.toNanos()));
        return response;
    }

    /** Takes request {@code id} out; null when it is not (or no longer) pending. */
    CompletableFuture<NodeFrame> remove(long id) {
        Pending p = pending.remove(id);
        return p == null ? null : p.response;
    }

    /** Fails every pending request with {@code reason} and stops the sweep. */
    void failAll(Throwable reason) {
        sweep.cancel(false);
        for (Long id : List.copyOf(pending.keySet())) {
            CompletableFuture<NodeFrame> response = remove(id);
            if (response != null) {
                response.completeExceptionally(reason);
            }
        }
    }

    private void expire() {
        long now = System.nanoTime();
        pending.forEach((id, p) -> {
            if (now - p.deadlineNanos >= 0 && pending.remove(id, p)) {
                p.response.completeExceptionally(new TransportException("no answer from the node within " + timeout, true));
            }
        });
    }

    private record Pending(CompletableFuture<NodeFrame> response, long deadlineNanos) {
    }
}
