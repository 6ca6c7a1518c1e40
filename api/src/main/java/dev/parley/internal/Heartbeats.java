package dev.parley.internal;

import dev.parley.ProtocolException;
import dev.parley.internal.util.WireLimits;

import java.time.Duration;

/**
 * The heartbeat intervals a node accepts from a client (in {@code Hello} and {@code Subscribe}):
 * checked before anything is registered, so a value no timer can hold is refused, not half applied.
 */
public final class Heartbeats {
    /** Shortest interval; shorter ones are raised to it. */
    public static final Duration MIN = WireLimits.MIN_HEARTBEAT;
    /** Longest interval; longer ones are refused. */
    public static final Duration MAX = WireLimits.MAX_HEARTBEAT;

    private Heartbeats() {
    }

    /**
     * The interval to use for {@code millis} as a client sent it: {@code unset} for 0 (the field's
     * default), at least {@link #MIN}.
     *
     * @throws ProtocolException when it is negative or longer than {@link #MAX}
     */
    public static Duration accepted(long millis, Duration unset) {
        if (millis == 0) {
            return unset;
        }
        if (millis < 0 || millis > MAX.toMillis()) {
            throw outOfRange(millis + " ms");
        }
        return millis < MIN.toMillis() ? MIN : Duration.ofMillis(millis);
    }

    /** {@link #accepted(long, Duration)} for an interval given as a duration ({@code null}: {@code unset}). */
    public static Duration accepted(Duration interval, Duration unset) {
        if (interval == null) {
            return unset;
        }
        if (interval.isNegative() || interval.compareTo(MAX) > 0) {
            throw outOfRange(interval.toString());
        }
        return interval.compareTo(MIN) < 0 ? MIN : interval;
    }

    private static ProtocolException outOfRange(String was) {
        return new ProtocolException("heartbeat interval must be at most " + MAX.toMillis() + " ms and not negative, was "
                + was);
    }
}
