package dev.parley.core.stream;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Values waiting for a pull-mode consumer (iterator, {@code poll}, or a {@link java.util.concurrent.Flow}
 * subscriber). Its size is bounded by the stream's demand accounting (never more requested than
 * free slots), so it needs no capacity check of its own.
 */
final class PullBuffer<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<T> values = new ArrayDeque<>();
    private final Runnable onTake;
    private volatile Runnable onChange = () -> { };
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

    void add(T value) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            values.add(value);
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

    /** Next value, waiting up to {@code timeoutNanos} (negative: forever); empty on timeout or when closed and drained. */
    Optional<T> poll(long timeoutNanos) throws InterruptedException {
        T value;
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

    /** Next value if one is waiting, without blocking. */
    Optional<T> take() {
        T value;
        lock.lock();
        try {
            value = values.poll();
        } finally {
            lock.unlock();
        }
        return took(value);
    }

    private Optional<T> took(T value) {
        if (value != null) {
            onTake.run();
        }
        return Optional.ofNullable(value);
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
