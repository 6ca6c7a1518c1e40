package dev.parley.core.stream;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Blocking iteration over a pull buffer: {@code hasNext()} waits for the next value and is false
 * once the stream ended; after a failure it throws the stream's failure once the values received
 * before it have been returned.
 */
final class PullIterator<T> implements Iterator<T> {
    private final PullBuffer<T> values;
    private T next;

    PullIterator(PullBuffer<T> values) {
        this.values = values;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            next = values.poll(-1).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (next == null) {
            RuntimeException failure = values.failureAfterDrain();
            if (failure != null) {
                throw failure;
            }
        }
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("stream ended");
        }
        T value = next;
        next = null;
        return value;
    }
}
