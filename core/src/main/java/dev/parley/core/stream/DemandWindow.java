package dev.parley.core.stream;

/**
 * Flow control toward the node: envelopes requested but not yet delivered ({@code outstanding})
 * plus values waiting in the pull buffer never exceed the window ({@code bufferSize}), so nothing
 * grows without bound. More is requested once a quarter of the window is free, not one envelope at
 * a time: also when the node has used up its demand (a consumer slower than the node), so a slow
 * consumer costs a demand frame per quarter window, not one per value, while three quarters of
 * the window are still buffered for it. Serial.
 */
final class DemandWindow {
    private final long window;
    private final long threshold;
    private long outstanding;

    DemandWindow(long window) {
        this.window = window;
        this.threshold = Math.max(1, window / 4);
    }

    /** Demand for a new subscription, given the values already buffered. */
    long open(long buffered) {
        outstanding = Math.max(0, window - buffered);
        return outstanding;
    }

    /** True when {@code count} more envelopes stay within the demand granted (a node must send no more). */
    boolean allows(int count) {
        return count <= outstanding;
    }

    /** One envelope of the outstanding demand arrived (duplicates use up demand too). */
    void delivered() {
        outstanding--;
    }

    /** How much more to request now (0: not yet); counts it as outstanding. */
    long replenish(long buffered) {
        long free = window - outstanding - buffered;
        if (free >= threshold) {
            outstanding += free;
            return free;
        }
        return 0;
    }
}
