package dev.parley.core.stream;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Values waiting for a pull-mode consumer (iterator, {@code poll}, or a {@link java.util.concurrent.Flow}
 * subscriber). Its size is bounded by the stream's demand accounting (never more requested than
 * free slots), so it needs no capacity check of its own. Each value carries what acknowledges it:
 * the consumer has handled a value once it comes back for the next one (or ends the stream, or a
 * Flow subscriber's {@code onNext} returned).
 */
final class PullBuffer<T> {
    private static final Runnable NOTHING = () -> { };

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Waiting<T>> values = new ArrayDeque<>();
    private final Runnable onTake;
    private volatile Runnable onChange = NOTHING;
    private Runnable unacknowledged = NOTHING; // the value taken last; guarded by lock
    private boolean closed;
    private RuntimeException failure;

    /** @param onTake runs on the consumer's thread after each value taken */
    PullBuffer(Runnable onTake) {
        this.onTake = onTake;
    }

    /** Also tells {@code listener} (on the thread that made the change) whenever a value arrives or the buffer closes. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Adds a value; {@code acknowledge} runs (on the consumer's thread) once it has been handled. */
    void add(T value, Runnable acknowledge) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            values.add(new Waiting<>(value, acknowledge));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    int size() {
        lock.lock();
        try {
            return values.size();
        } finally {
            lock.unlock();
        }
    }

    /** No more values will come; waiting consumers wake up. With {@code discard} the buffered ones go too. */
    void close(RuntimeException failure, boolean discard) {
        lock.lock();
        try {
            closed = true;
            this.failure = failure;
            if (discard) {
                values.clear();
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
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (values.isEmpty() && !closed) {
                if (timeoutNanos < 0) {
                    changed.await();
                } else {
                    if (remaining <= 0) {
                        return Optional.empty();
                    }
                    remaining = changed.awaitNanos(remaining);
                }
            }
            value = values.poll();
        } finally {
            lock.unlock();
        }
        return took(value);
    }

    /** Next value if one is waiting, without blocking; acknowledges the value taken before. */
    Optional<T> take() {
        acknowledge();
        Waiting<T> value;
        lock.lock();
        try {
            value = values.poll();
        } finally {
            lock.unlock();
        }
        return took(value);
    }

    private Optional<T> took(Waiting<T> taken) {
        if (taken == null) {
            return Optional.empty();
        }
        lock.lock();
        try {
            unacknowledged = taken.acknowledge;
        } finally {
            lock.unlock();
        }
        onTake.run();
        return Optional.of(taken.value);
    }

    /** The consumer is done with the value it took last (if it has not said so already). */
    void acknowledge() {
        Runnable last;
        lock.lock();
        try {
            last = unacknowledged;
            unacknowledged = NOTHING;
        } finally {
            lock.unlock();
        }
        last.run();
    }

    private record Waiting<T>(T value, Runnable acknowledge) {
    }

    /** True once closed and drained: nothing will ever come out again. */
    boolean isDrained() {
        lock.lock();
        try {
            return closed && values.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The failure the stream ended with, once closed and drained; null otherwise. */
    RuntimeException failureAfterDrain() {
        lock.lock();
        try {
            return closed && values.isEmpty() ? failure : null;
        } finally {
            lock.unlock();
        }
    }
}
