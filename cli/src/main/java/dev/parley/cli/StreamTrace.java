package dev.parley.cli;

import dev.parley.StreamOptions;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Life-cycle callbacks of one stream that print themselves ({@code [bob] onRetry(1/10)}) and
 * count what happened, so the demo can report it and wait for a restart.
 */
final class StreamTrace {
    private final Console console;
    private final String who;
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final CountDownLatch firstRestart = new CountDownLatch(1);

    StreamTrace(Console console, String who) {
        this.console = console;
        this.who = who;
    }

    /** Sets onError, onRetry, onRestart, onFail and onEnd of {@code builder}. */
    <T> StreamOptions.Builder<T> attach(StreamOptions.Builder<T> builder) {
        return builder
                .onError(e -> {
                    errors.incrementAndGet();
                    console.say(who, "onError(%s)", Console.describe(e));
                })
                .onRetry((attempt, max) -> {
                    retries.incrementAndGet();
                    console.say(who, "onRetry(%d/%d)", attempt, max);
                })
                .onRestart(() -> {
                    restarts.incrementAndGet();
                    console.say(who, "onRestart() - live again, resuming from its cursors");
                    firstRestart.countDown();
                })
                .onFail(() -> {
                    failures.incrementAndGet();
                    console.say(who, "onFail()");
                })
                .onEnd(() -> console.say(who, "onEnd()"));
    }

    /** Waits for the first onRestart until the deadline ({@link System#nanoTime()}); true if it came. */
    boolean awaitRestart(long deadlineNanos) throws InterruptedException {
        return firstRestart.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    int errors() {
        return errors.get();
    }

    int retries() {
        return retries.get();
    }

    int restarts() {
        return restarts.get();
    }

    int failures() {
        return failures.get();
    }
}
