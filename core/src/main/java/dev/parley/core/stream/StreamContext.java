package dev.parley.core.stream;

/** What a {@link StreamPlan} may do while it handles an envelope. */
public interface StreamContext<T> {
    /** Hands a value to the consumer (callback or pull buffer). */
    void emit(T value);

    /** Starts following a topic after {@code cursor} ({@link dev.parley.internal.Topics#LATEST}: from now on). */
    void addTopic(String topic, long cursor);

    void removeTopic(String topic);

    boolean follows(String topic);
}
