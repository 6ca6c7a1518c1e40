package dev.parley.internal;

import dev.parley.ProtocolException;
import dev.parley.internal.util.Durations;

import java.time.Duration;

/**
 * The heartbeat intervals a node accepts from a client (in {@code Hello} and {@code Subscribe}):
 * checked before anything is registered, so a value no timer can hold is refused, not half applied.
 */
public final class Heartbeats {
    /** Shortest interval; shorter ones are raised to it. */
    public static final Duration MIN = Duration.ofMillis(10);
    /** Longest interval; longer ones are refused (a silent link must be noticed within minutes). */
    public static final Duration MAX = Duration.ofMinutes(10);

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

    /** For a client's own setting: a positive interval of at most {@link #MAX}, or {@link IllegalArgumentException}. */
    public static Duration requireValid(Duration interval, String name) {
        Durations.requirePositive(interval, name);
        if (interval.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX + " (nodes refuse longer), was "
                    + interval);
        }
        return interval;
    }

    private static ProtocolException outOfRange(String was) {
        return new ProtocolException("heartbeat interval must be at most " + MAX.toMillis() + " ms and not negative, was "
                + was);
    }
}
