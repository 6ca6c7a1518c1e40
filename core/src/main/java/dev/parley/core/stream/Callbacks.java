package dev.parley.core.stream;

import dev.parley.HistoryLost;
import dev.parley.StreamOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The user's callbacks of one stream, run on its serial executor. Once the stream is being ended
 * none runs but {@code onEnd} (exactly once); a callback that throws goes to {@code onError}.
 */
final class Callbacks<T> {
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final StreamOptions<T> options;
    private final Consumer<? super T> onValue; // null when there is none: looked up once, not per value
    private final AtomicBoolean ending = new AtomicBoolean();
    private boolean endRan;

    Callbacks(StreamOptions<T> options) {
        this.options = options;
        this.onValue = options.onValue().orElse(null);
    }

    /** From now on only {@code onEnd} runs; true for the first caller. Any thread. */
    boolean beginEnding() {
        return ending.compareAndSet(false, true);
    }

    /** As {@link #invoke} runs a callback, without making one per value. */
    void value(T value) {
        if (onValue == null || ending.get()) {
            return;
        }
        try {
            onValue.accept(value);
        } catch (RuntimeException e) {
            threw(e);
        }
    }

    void error(Throwable error) {
        invoke(() -> options.onError().accept(error));
    }

    void retry(int attempt, int maxAttempts) {
        invoke(() -> options.onRetry().onRetry(attempt, maxAttempts));
    }

    void historyLost(HistoryLost lost) {
        invoke(() -> options.onHistoryLost().accept(lost));
    }

    void restart() {
        invoke(options.onRestart());
    }

    void fail() {
        invoke(options.onFail());
    }

    /** Runs {@code onEnd} the first time only, whether or not the stream is being ended. */
    void end() {
        if (!endRan) {
            endRan = true;
            guarded(options.onEnd());
        }
    }

    private void invoke(Runnable callback) {
        if (ending.get()) {
            return;
        }
        try {
            callback.run();
        } catch (RuntimeException e) {
            threw(e);
        }
    }

    /** A callback threw {@code e}: it goes to {@code onError}. */
    private void threw(RuntimeException e) {
        log.debug("stream callback threw", e);
        guarded(() -> options.onError().accept(e));
    }

    private static void guarded(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("stream callback threw", e);
        }
    }
}
