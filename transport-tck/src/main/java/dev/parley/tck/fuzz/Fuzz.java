package dev.parley.tck.fuzz;

import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/** What the fuzzing suites share: waits that look often (a try should not cost a poll interval). */
final class Fuzz {
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration QUIET_POLL = Duration.ofMillis(40);
    private static final int QUIET_POLLS = 5;

    private Fuzz() {
    }

    /**
     * Waits (at most {@code atMost}) until {@code state} has not changed for a while: the client
     * has done what it was going to do with what it got.
     */
    static void quiet(Duration atMost, Supplier<Object> state) {
        Object[] last = {state.get()};
        int[] unchanged = {0};
        Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(QUIET_POLL).until(() -> {
            Object now = state.get();
            unchanged[0] = now.equals(last[0]) ? unchanged[0] + 1 : 0;
            last[0] = now;
            return unchanged[0] >= QUIET_POLLS;
        });
    }

    /** Waits at most {@code atMost}, looking every few milliseconds. */
    static ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(POLL);
    }
}
