package dev.parley.node.store;

/** Told of each new durable entry: {@link NodeStore#onAppended(java.util.function.BiConsumer)} with the sequence unboxed. */
@FunctionalInterface
public interface AppendListener {
    /** {@code sequence} of {@code topic} became durable; only hands work on. */
    void appended(String topic, long sequence);
}
