package dev.parley.core.conversation;

import java.util.function.Function;

/**
 * A function's value for the key asked last, kept so that asking the same key again computes nothing:
 * for look-ups that mostly repeat one key (sends to one conversation, of one content type). Thread-safe;
 * threads racing on different keys just compute again.
 */
public final class LastComputed<K, V> {
    private final Function<K, V> compute;
    private volatile Entry<K, V> last;

    public LastComputed(Function<K, V> compute) {
        this.compute = compute;
    }

    public V get(K key) {
        Entry<K, V> known = last;
        if (known == null || !known.key().equals(key)) {
            known = new Entry<>(key, compute.apply(key));
            last = known;
        }
        return known.value();
    }

    private record Entry<K, V>(K key, V value) {
    }
}
