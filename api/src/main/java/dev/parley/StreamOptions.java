package dev.parley;

import dev.parley.internal.util.Durations;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Options of one stream: filters, retry policy, buffer and callbacks. Setters validate at once
 * ({@link IllegalArgumentException}). Immutable once built.
 */
public final class StreamOptions<T> {
    /** Default {@link Builder#retryAttempts}. */
    public static final int DEFAULT_RETRY_ATTEMPTS = 10;
    /** Default {@link Builder#bufferSize}. */
    public static final int DEFAULT_BUFFER_SIZE = 256;

    private static final Runnable NOTHING = () -> { };

    private final Set<ConsentState> consentStates;
    private final ConversationType conversationType;
    private final boolean retryOnFail;
    private final int retryAttempts;
    private final Duration retryDelay;
    private final boolean disableSync;
    private final int bufferSize;
    private final Consumer<? super T> onValue;
    private final Consumer<Throwable> onError;
    private final Runnable onFail;
    private final Runnable onRestart;
    private final RetryListener onRetry;
    private final Runnable onEnd;
    private final String durable;
    private final Consumer<HistoryLost> onHistoryLost;

    private StreamOptions(Builder<T> b) {
        this.consentStates = b.consentStates == null ? null : Set.copyOf(b.consentStates);
        this.conversationType = b.conversationType;
        this.retryOnFail = b.retryOnFail;
        this.retryAttempts = b.retryAttempts;
        this.retryDelay = b.retryDelay;
        this.disableSync = b.disableSync;
        this.bufferSize = b.bufferSize;
        this.onValue = b.onValue;
        this.onError = b.onError == null ? e -> { } : b.onError;
        this.onFail = b.onFail == null ? NOTHING : b.onFail;
        this.onRestart = b.onRestart == null ? NOTHING : b.onRestart;
        this.onRetry = b.onRetry == null ? (attempt, max) -> { } : b.onRetry;
        this.onEnd = b.onEnd == null ? NOTHING : b.onEnd;
        this.durable = b.durable;
        this.onHistoryLost = b.onHistoryLost == null ? lost -> { } : b.onHistoryLost;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The consent filter; empty means the stream kind's default (ALLOWED + UNKNOWN for messages). */
    public Optional<Set<ConsentState>> consentStates() {
        return Optional.ofNullable(consentStates);
    }

    /** Only this type of conversation; empty means both. */
    public Optional<ConversationType> conversationType() {
        return Optional.ofNullable(conversationType);
    }

    public boolean retryOnFail() {
        return retryOnFail;
    }

    public int retryAttempts() {
        return retryAttempts;
    }

    /** Fixed delay between retries; empty means exponential backoff 250 ms → 30 s with jitter. */
    public Optional<Duration> retryDelay() {
        return Optional.ofNullable(retryDelay);
    }

    public boolean disableSync() {
        return disableSync;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Present in push mode. */
    public Optional<Consumer<? super T>> onValue() {
        return Optional.ofNullable(onValue);
    }

    public Consumer<Throwable> onError() {
        return onError;
    }

    public Runnable onFail() {
        return onFail;
    }

    public Runnable onRestart() {
        return onRestart;
    }

    public RetryListener onRetry() {
        return onRetry;
    }

    public Runnable onEnd() {
        return onEnd;
    }

    /** The name this stream's progress is kept under; empty for a stream that starts from "now". */
    public Optional<String> durable() {
        return Optional.ofNullable(durable);
    }

    public Consumer<HistoryLost> onHistoryLost() {
        return onHistoryLost;
    }

    public static final class Builder<T> {
        private Set<ConsentState> consentStates;
        private ConversationType conversationType;
        private boolean retryOnFail = true;
        private int retryAttempts = DEFAULT_RETRY_ATTEMPTS;
        private Duration retryDelay;
        private boolean disableSync;
        private int bufferSize = DEFAULT_BUFFER_SIZE;
        private Consumer<? super T> onValue;
        private Consumer<Throwable> onError;
        private Runnable onFail;
        private Runnable onRestart;
        private RetryListener onRetry;
        private Runnable onEnd;
        private String durable;
        private Consumer<HistoryLost> onHistoryLost;

        private Builder() {
        }

        /** Only conversations in one of these states; at least one state. */
        public Builder<T> consentStates(ConsentState... states) {
            Objects.requireNonNull(states, "states");
            if (states.length == 0) {
                throw new IllegalArgumentException("consentStates needs at least one state");
            }
            Arrays.stream(states).forEach(s -> Objects.requireNonNull(s, "consent state"));
            this.consentStates = EnumSet.copyOf(Arrays.asList(states));
            return this;
        }

        public Builder<T> conversationType(ConversationType type) {
            this.conversationType = type;
            return this;
        }

        /** Whether to reconnect after a disconnect (default true). */
        public Builder<T> retryOnFail(boolean retryOnFail) {
            this.retryOnFail = retryOnFail;
            return this;
        }

        /** Attempts after a disconnect before the stream fails (default 10, at least 0). */
        public Builder<T> retryAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("retryAttempts must be >= 0, was " + attempts);
            }
            this.retryAttempts = attempts;
            return this;
        }

        /** Fixed delay between attempts (zero allowed); unset means exponential backoff with jitter. */
        public Builder<T> retryDelay(Duration delay) {
            this.retryDelay = Durations.requireNonNegative(delay, "retryDelay");
            return this;
        }

        /** Skip the sync before start and restarts: the stream then replays everything after the stored cursors. */
        public Builder<T> disableSync(boolean disableSync) {
            this.disableSync = disableSync;
            return this;
        }

        /** Values held for a pull-mode consumer, and the demand window of both modes (default 256, at least 1). */
        public Builder<T> bufferSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("bufferSize must be >= 1, was " + size);
            }
            this.bufferSize = size;
            return this;
        }

        /** Push mode: every value goes here, on one thread at a time, in order. */
        public Builder<T> onValue(Consumer<? super T> onValue) {
            this.onValue = Objects.requireNonNull(onValue, "onValue");
            return this;
        }

        /** Disconnects, failed attempts, callbacks that threw, undecodable values. */
        public Builder<T> onError(Consumer<Throwable> onError) {
            this.onError = Objects.requireNonNull(onError, "onError");
            return this;
        }

        /** The stream gave up (after {@code onError(StreamFailedException)}, before {@code onEnd}). */
        public Builder<T> onFail(Runnable onFail) {
            this.onFail = Objects.requireNonNull(onFail, "onFail");
            return this;
        }

        /** The stream is live again after a disconnect. */
        public Builder<T> onRestart(Runnable onRestart) {
            this.onRestart = Objects.requireNonNull(onRestart, "onRestart");
            return this;
        }

        /** Before each retry attempt. */
        public Builder<T> onRetry(RetryListener onRetry) {
            this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
            return this;
        }

        /** Exactly once, last, however the stream ends. */
        public Builder<T> onEnd(Runnable onEnd) {
            this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
            return this;
        }

        /**
         * A durable stream: its progress is kept in the client's database under {@code name} and
         * advances once a value has been handled (its {@code onValue} returned, or the iterator moved
         * past it). A new stream with the same name, in a new process, delivers everything published
         * since, in order, then live: at least once across a crash (what was being handled may come
         * again), exactly once across {@code end()}/{@code close()}. Needs {@code ClientOptions.dbPath};
         * starting it without one throws {@link IllegalArgumentException}.
         *
         * @param name letters, digits, '.', '_' or '-', at most 128
         */
        public Builder<T> durable(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new IllegalArgumentException(
                        "durable stream name must be 1 to 128 letters, digits, '.', '_' or '-', was " + name);
            }
            this.durable = name;
            return this;
        }

        /**
         * History the stream will never deliver: the node no longer keeps it (retention), or the node's
         * log was wiped (its epoch changed). The stream goes on with what exists.
         */
        public Builder<T> onHistoryLost(Consumer<HistoryLost> onHistoryLost) {
            this.onHistoryLost = Objects.requireNonNull(onHistoryLost, "onHistoryLost");
            return this;
        }

        public StreamOptions<T> build() {
            return new StreamOptions<>(this);
        }
    }
}
