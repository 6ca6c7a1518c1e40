package dev.parley.core.stream;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pull-mode stream as a {@link Flow.Publisher} for one subscriber (Reactor, RxJava, Mutiny...):
 * values go out as the subscriber requests them, and taking them frees room in the stream's demand
 * window, so the subscriber's {@code request(n)} paces the node. A second subscriber is refused
 * with {@code onError}.
 */
final class StreamPublisher<T> implements Flow.Publisher<T> {
    private final PullBuffer<T> buffer;
    private final Runnable endStream;
    private final AtomicBoolean taken = new AtomicBoolean();

    /** @param endStream ends the stream without waiting (a subscriber's {@code cancel()}) */
    StreamPublisher(PullBuffer<T> buffer, Runnable endStream) {
        this.buffer = buffer;
        this.endStream = endStream;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!taken.compareAndSet(false, true)) {
            subscriber.onSubscribe(Refused.INSTANCE);
            subscriber.onError(new IllegalStateException("a Parley stream has one consumer, and this one has it already"));
            return;
        }
        BufferSubscription<T> subscription = new BufferSubscription<>(buffer, subscriber, endStream);
        subscriber.onSubscribe(subscription);
        buffer.onChange(subscription::drain);
        subscription.drain();
    }

    /** True once a subscriber has the stream's values. */
    boolean isTaken() {
        return taken.get();
    }

    private enum Refused implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }
}
