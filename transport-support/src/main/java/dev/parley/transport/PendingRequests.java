package dev.parley.transport;

import dev.parley.TransportException;
import dev.parley.internal.RequestDeadlines;
import dev.parley.protocol.NodeFrame;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Requests waiting for their answer, by request id, each with a deadline. One periodic sweep
 * per connection times them out (a request fails between its deadline and one tick after it):
 * a timer task per request costs a priority-queue insert and removal under a lock on every publish.
 * The same sweep expires what else of the connection has a deadline ({@code alsoExpire}: the
 * publishes waiting to be batched).
 */
final class PendingRequests {
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final LongConsumer alsoExpire;
    private final ScheduledFuture<?> sweep;

    /** @param alsoExpire called on every sweep with {@link System#nanoTime()}, to expire what else has a deadline */
    PendingRequests(Duration timeout, ScheduledExecutorService timers, LongConsumer alsoExpire) {
        this.timeout = timeout;
        this.alsoExpire = alsoExpire;
        long tick = Math.min(MAX_TICK_NANOS, Math.max(MIN_TICK_NANOS, timeout.toNanos() / 8));
        this.sweep = timers.scheduleWithFixedDelay(this::expire, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** The deadline of a request made now: {@code timeout} from now. */
    long deadlineFromNow() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Registers request {@code id}; its future completes with the answer, an error, or a timeout at {@code deadlineNanos}. */
    CompletableFuture<NodeFrame> register(long id, long deadlineNanos) {
        CompletableFuture<NodeFrame> response = new CompletableFuture<>();
        pending.put(id, new Pending(response, deadlineNanos));
        return response;
    }

    /** The failure of a request the node did not answer in time: retryable. */
    TransportException noAnswer() {
        return RequestDeadlines.noAnswer(timeout, null);
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
        alsoExpire.accept(now); // first: what waits and expired is dropped before a freed window would send it
        pending.forEach((id, p) -> {
            if (now - p.deadlineNanos >= 0 && pending.remove(id, p)) {
                p.response.completeExceptionally(noAnswer());
            }
        });
    }

    private record Pending(CompletableFuture<NodeFrame> response, long deadlineNanos) {
    }
}
