package dev.parley.core.stream;

/** What a {@link StreamPlan} may do while it handles an envelope. */
public interface StreamContext<T> {
    /** Hands a value to the consumer (callback or pull buffer). */
    void emit(T value);

    /** Starts following a topic after {@code cursor} ({@link dev.parley.spi.Subscription#LATEST}: from now on). */
    void addTopic(String topic, long cursor);

    void removeTopic(String topic);

    boolean follows(String topic);

    /**
     * The source has nothing more to give: the stream ends ({@code onEnd}) after this envelope; in
     * pull mode the values emitted so far can still be read, then iteration ends.
     */
    void complete();
}
