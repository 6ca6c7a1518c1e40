package dev.parley.core.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber's view of a pull buffer. Signals go out one at a time (a work-in-progress
 * counter; whichever thread made progress possible drains: the subscriber's {@code request}, a
 * value arriving, the stream ending), never more {@code onNext} than requested, then exactly one
 * {@code onComplete} (stream ended) or {@code onError} (stream failed, or an invalid request).
 */
final class BufferSubscription<T> implements Flow.Subscription {
    private static final Logger log = LoggerFactory.getLogger(BufferSubscription.class);

    private final PullBuffer<T> buffer;
    private volatile Flow.Subscriber<? super T> subscriber; // dropped once done or cancelled (rule 3.13)
    private final Runnable endStream;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private volatile IllegalArgumentException invalidRequest;
    private boolean done; // only touched while draining

    BufferSubscription(PullBuffer<T> buffer, Flow.Subscriber<? super T> subscriber, Runnable endStream) {
        this.buffer = buffer;
        this.subscriber = subscriber;
        this.endStream = endStream;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            invalidRequest = new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n);
        } else {
            requested.accumulateAndGet(n, (have, more) -> have + more < 0 ? Long.MAX_VALUE : have + more);
        }
        drain();
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            release();
            endStream.run();
        }
    }

    /** Lets go of the subscriber: nothing will be signalled to it any more. */
    private void release() {
        subscriber = null;
        buffer.onChange(() -> { });
    }

    /** Sends what can be sent now; any thread. */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            emitAvailable();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void emitAvailable() {
        Flow.Subscriber<? super T> to = subscriber;
        while (!done && !cancelled && to != null) {
            if (invalidRequest != null) {
                done = true;
                cancel();
                to.onError(invalidRequest);
                return;
            }
            Optional<T> value = requested.get() > 0 ? buffer.take() : Optional.empty();
            if (value.isPresent()) {
                requested.accumulateAndGet(1, (have, one) -> have == Long.MAX_VALUE ? have : have - one);
                next(to, value.get());
            } else {
                if (buffer.isDrained()) {
                    done = true;
                    release();
                    RuntimeException failure = buffer.failureAfterDrain();
                    if (failure == null) {
                        to.onComplete();
                    } else {
                        to.onError(failure);
                    }
                }
                return;
            }
        }
    }

    private void next(Flow.Subscriber<? super T> to, T value) {
        try {
            to.onNext(value);
            buffer.acknowledge();
        } catch (RuntimeException e) {
            log.warn("Flow subscriber threw from onNext (Reactive Streams rule 2.13); cancelling", e);
            done = true;
            cancel();
        }
    }
}
