package dev.parley.core.stream;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * Time as the stream engine sees it: a monotonic clock and one-shot timers. Passed in, so that
 * retry schedules and heartbeat detection run on a fake clock in tests.
 */
public interface Scheduler {
    /** Monotonic now, in nanoseconds (only differences mean anything). */
    long nanoTime();

    /**
     * Runs {@code task} once after {@code delay}, on a timer thread (tasks must hand real work on).
     *
     * @throws java.util.concurrent.RejectedExecutionException once the scheduler is shut down
     */
    Timer schedule(Duration delay, Runnable task);

    /** Like {@link #schedule}, but once the scheduler is shut down (client closing) the task never runs. */
    default Timer scheduleIfRunning(Duration delay, Runnable task) {
        try {
            return schedule(delay, task);
        } catch (RejectedExecutionException e) {
            return Timer.NONE;
        }
    }

    /** A scheduled task. */
    interface Timer {
        /** A timer that never runs. */
        Timer NONE = () -> { };

        /** Stops it from running, if it has not yet; idempotent. */
        void cancel();
    }
}
