package dev.parley.core.stream;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Values waiting for a pull-mode consumer (iterator, {@code poll}, or a {@link java.util.concurrent.Flow}
 * subscriber). Its size is bounded by the stream's demand accounting (never more requested than
 * free slots), so it needs no capacity check of its own. Each value carries what acknowledges it:
 * the consumer has handled a value once it comes back for the next one (or ends the stream, or a
 * Flow subscriber's {@code onNext} returned).
 *
 * <p>Two queues keep the two sides off each other's lock: values arrive in one (under the arrival
 * lock), and a consumer that has run out takes all of them over in one swap, then returns them one
 * by one under its own lock. A consumer waiting on an empty buffer is woken once per run of
 * arrivals ({@link #hold()} ... {@link #release()}), not once per value.
 */
final class PullBuffer<T> {
    private static final Runnable NOTHING = () -> { };

    private final ReentrantLock lock = new ReentrantLock(); // arrivals, waiting, closing
    private final Condition changed = lock.newCondition();
    private ArrayDeque<Waiting<T>> arrived = new ArrayDeque<>(); // guarded by lock
    private int waiting; // consumers waiting for arrivals; guarded by lock
    private boolean holding; // in a run: wake the consumer at its end; guarded by lock
    private boolean heldArrivals; // something arrived while holding; guarded by lock
    private volatile boolean closed;
    private RuntimeException failure; // guarded by lock

    private final ReentrantLock consumer = new ReentrantLock(); // the consumer's side
    private ArrayDeque<Waiting<T>> taken = new ArrayDeque<>(); // guarded by consumer (swaps: both locks)
    private volatile boolean discarded;

    private final AtomicInteger buffered = new AtomicInteger(); // arrived + taken over, not yet returned
    private final AtomicReference<Runnable> unacknowledged = new AtomicReference<>(NOTHING); // the value taken last
    private final Runnable onTake;
    private volatile Runnable onChange = NOTHING;

    /** @param onTake runs on the consumer's thread after each value taken */
    PullBuffer(Runnable onTake) {
        this.onTake = onTake;
    }

    /** Also tells {@code listener} (on the thread that made the change) whenever values arrive or the buffer closes. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Adds a value; {@code acknowledge} runs (on the consumer's thread) once it has been handled. */
    void add(T value, Runnable acknowledge) {
        boolean tell;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            arrived.add(new Waiting<>(value, acknowledge));
            buffered.incrementAndGet();
            if (holding) {
                heldArrivals = true;
            } else if (waiting > 0) {
                changed.signalAll();
            }
            tell = !holding;
        } finally {
            lock.unlock();
        }
        if (tell) {
            onChange.run();
        }
    }

    /** A run of arrivals begins: the consumer hears of them at {@link #release()}. Same thread as {@code add}. */
    void hold() {
        lock.lock();
        try {
            holding = true;
        } finally {
            lock.unlock();
        }
    }

    /** The run of arrivals ended: a waiting consumer wakes once for all of them. */
    void release() {
        boolean tell;
        lock.lock();
        try {
            holding = false;
            tell = heldArrivals;
            heldArrivals = false;
            if (tell && waiting > 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (tell) {
            onChange.run();
        }
    }

    /** Values buffered: arrived and not yet returned to the consumer. Any thread, without locking. */
    int size() {
        return buffered.get();
    }

    /** No more values will come; waiting consumers wake up. With {@code discard} the buffered ones go too. */
    void close(RuntimeException failure, boolean discard) {
        lock.lock();
        try {
            closed = true;
            this.failure = failure;
            if (discard) {
                discarded = true;
                buffered.addAndGet(-arrived.size());
                arrived.clear();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /**
     * Next value, waiting up to {@code timeoutNanos} (negative: forever); empty on timeout or when
     * closed and drained. Acknowledges the value taken before.
     */
    Optional<T> poll(long timeoutNanos) throws InterruptedException {
        acknowledge();
        Waiting<T> value;
        consumer.lock();
        try {
            value = next(timeoutNanos);
        } finally {
            consumer.unlock();
        }
        return took(value);
    }

    /** Next value if one is waiting, without blocking; acknowledges the value taken before. */
    Optional<T> take() {
        acknowledge();
        Waiting<T> value;
        consumer.lock();
        try {
            value = next(0);
        } catch (InterruptedException e) {
            throw new AssertionError("a poll without waiting does not wait", e);
        } finally {
            consumer.unlock();
        }
        return took(value);
    }

    /** Under the consumer lock: the next value taken over, else the arrivals taken over (waiting for them if asked). */
    private Waiting<T> next(long timeoutNanos) throws InterruptedException {
        if (discarded && !taken.isEmpty()) {
            buffered.addAndGet(-taken.size());
            taken.clear();
        }
        if (taken.isEmpty() && !takeOver(timeoutNanos)) {
            return null;
        }
        buffered.decrementAndGet();
        return taken.poll();
    }

    /** Moves every arrived value to the consumer's queue in one swap; false on timeout or when closed and empty. */
    private boolean takeOver(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (arrived.isEmpty() && !closed) {
                if (timeoutNanos >= 0 && remaining <= 0) {
                    return false;
                }
                waiting++;
                try {
                    if (timeoutNanos < 0) {
                        changed.await();
                    } else {
                        remaining = changed.awaitNanos(remaining);
                    }
                } finally {
                    waiting--;
                }
            }
            if (arrived.isEmpty()) {
                return false;
            }
            ArrayDeque<Waiting<T>> empty = taken;
            taken = arrived;
            arrived = empty;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private Optional<T> took(Waiting<T> value) {
        if (value == null) {
            return Optional.empty();
        }
        // another consumer thread's value still unacknowledged is done with too: never lose an acknowledgement
        unacknowledged.getAndSet(value.acknowledge).run();
        onTake.run();
        return Optional.of(value.value);
    }

    /** The consumer is done with the value it took last (if it has not said so already). */
    void acknowledge() {
        unacknowledged.getAndSet(NOTHING).run();
    }

    private record Waiting<T>(T value, Runnable acknowledge) {
    }

    /** True once closed and drained: nothing will ever come out again. */
    boolean isDrained() {
        return closed && buffered.get() == 0;
    }

    /** The failure the stream ended with, once closed and drained; null otherwise. */
    RuntimeException failureAfterDrain() {
        if (!isDrained()) {
            return null;
        }
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }
}
