package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.ParleyException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The stream state machine (DESIGN §4). Every event (envelope, disconnect, timer, end, consumer
 * progress) is handled on one serial executor, so callbacks never overlap and run in event order,
 * and the fields below marked "serial" need no locks. Per topic the stream keeps the highest
 * sequence it processed: a (re)subscription starts after those cursors and anything at or below
 * them is a duplicate, which gives exactly-once, in-order delivery across reconnects. Demand is
 * never more than the free room in the window ({@code bufferSize}), so nothing grows without bound.
 */
final class StreamEngine<T> implements MessageStream<T> {
    private static final Logger log = LoggerFactory.getLogger(StreamEngine.class);

    private final StreamPlan<T> plan;
    private final StreamOptions<T> options;
    private final StreamRuntime runtime;
    private final SerialExecutor serial;
    private final RetryPolicy retryPolicy;
    private final Consumer<? super T> onValue;
    private final PullBuffer<T> buffer;
    private final long window;
    private final long replenishThreshold;
    private final Duration heartbeat;
    private final Context context = new Context();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicBoolean endRequested = new AtomicBoolean();
    private final AtomicBoolean replenishQueued = new AtomicBoolean();
    private volatile StreamState state = StreamState.CONNECTING;
    private volatile long lastActivityNanos = System.nanoTime();

    // serial
    private final Map<String, Long> cursors = new LinkedHashMap<>();
    private final Set<String> anchored = new HashSet<>();
    private final List<Envelope> early = new ArrayList<>();
    private boolean initialized;
    private boolean everLive;
    private boolean terminal;
    private boolean onEndRan;
    private int generation;
    private Subscription subscription;
    private long outstanding;
    private int failedAttempts;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> stabilityTimer;
    private ScheduledFuture<?> subscribeTimeout;

    StreamEngine(StreamPlan<T> plan, StreamOptions<T> options, StreamRuntime runtime) {
        this.plan = plan;
        this.options = options;
        this.runtime = runtime;
        this.serial = new SerialExecutor(runtime.pool);
        this.retryPolicy = new RetryPolicy(options.retryDelay().orElse(null));
        this.onValue = options.onValue().orElse(null);
        this.buffer = onValue == null ? new PullBuffer<>(this::consumerTook) : null;
        this.window = options.bufferSize();
        this.replenishThreshold = Math.max(1, window / 4);
        this.heartbeat = runtime.heartbeatInterval;
    }

    /** Runs the first attempt and returns once it is live or a retry is scheduled. */
    void start() {
        long check = Math.max(1, heartbeat.toNanos() / 4);
        serial.execute(() -> {
            watchdog = runtime.timers.scheduleAtFixedRate(() -> serial.execute(this::checkHeartbeat), check, check,
                    TimeUnit.NANOSECONDS);
            attempt();
        });
        try {
            firstAttempt.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    // ------------------------------------------------------------------ attempts

    private void attempt() {
        if (terminal) {
            return;
        }
        int gen = ++generation;
        state = everLive || failedAttempts > 0 ? StreamState.RETRYING : StreamState.CONNECTING;
        CompletableFuture<Void> synced = options.disableSync()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(runtime.syncer::sync, runtime.pool);
        synced.whenComplete((v, error) -> serial.execute(() -> {
            if (gen != generation || terminal) {
                return;
            }
            if (error != null) {
                lost(gen, error);
            } else {
                subscribe(gen);
            }
        }));
    }

    private void subscribe(int gen) {
        if (!initialized) {
            try {
                Map<String, Long> initial = plan.initialCursors();
                cursors.putAll(initial);
                initial.forEach((topic, cursor) -> {
                    if (cursor != Topics.LATEST) {
                        anchored.add(topic);
                    }
                });
                initialized = true;
            } catch (RuntimeException e) {
                lost(gen, e);
                return;
            }
        }
        outstanding = Math.max(0, window - buffered());
        early.clear();
        subscribeTimeout = schedule(runtime.requestTimeout, () -> {
            if (gen == generation && subscription == null) {
                lost(gen, new TransportException("node did not accept the subscription within "
                        + runtime.requestTimeout, true));
            }
        });
        CompletableFuture<Subscription> opened;
        try {
            opened = runtime.transport.subscribe(new HashMap<>(cursors), outstanding, new Listener(gen));
        } catch (RuntimeException e) {
            opened = CompletableFuture.failedFuture(e);
        }
        opened.whenComplete((sub, error) -> serial.execute(() -> subscribed(gen, sub, error)));
    }

    private void subscribed(int gen, Subscription sub, Throwable error) {
        if (gen != generation || terminal) {
            if (sub != null) {
                sub.cancel();
            }
            return;
        }
        cancel(subscribeTimeout);
        if (error != null) {
            lost(gen, error);
            return;
        }
        subscription = sub;
        lastActivityNanos = System.nanoTime();
        boolean restarted = everLive || failedAttempts > 0;
        everLive = true;
        state = StreamState.LIVE;
        firstAttempt.complete(null);
        if (restarted) {
            invoke(options.onRestart());
            stabilityTimer = schedule(heartbeat, () -> {
                if (gen == generation && state == StreamState.LIVE) {
                    failedAttempts = 0;
                }
            });
        }
        List<Envelope> pending = new ArrayList<>(early);
        early.clear();
        pending.forEach(this::deliver);
        replenish();
    }

    /** The attempt failed or the live subscription broke: retry per policy, or fail. */
    private void lost(int gen, Throwable failure) {
        if (gen != generation || terminal) {
            return;
        }
        ParleyException error = Failures.asParley(failure);
        generation++;
        dropSubscription();
        boolean retry = options.retryOnFail() && isRetryable(error) && failedAttempts < options.retryAttempts();
        if (!retry && !firstAttempt.isDone()) {
            // the very first attempt failed for good: start() throws, no callbacks run
            terminal = true;
            state = StreamState.FAILED;
            release();
            runtime.ended(this);
            finished.complete(null);
            firstAttempt.completeExceptionally(new StreamFailedException(failedAttempts, error));
            return;
        }
        log.debug("stream lost its subscription: {}", error.getMessage());
        invoke(() -> options.onError().accept(error));
        if (!retry) {
            fail(error);
            return;
        }
        failedAttempts++;
        state = StreamState.RETRYING;
        int attempt = failedAttempts;
        int expected = generation;
        retryTimer = schedule(retryPolicy.delay(attempt), () -> {
            if (expected == generation && !terminal) {
                invoke(() -> options.onRetry().onRetry(attempt, options.retryAttempts()));
                attempt();
            }
        });
        firstAttempt.complete(null);
    }

    private void fail(ParleyException cause) {
        terminal = true;
        state = StreamState.FAILED;
        StreamFailedException failure = new StreamFailedException(failedAttempts, cause);
        invoke(() -> options.onError().accept(failure));
        invoke(options.onFail());
        release();
        if (buffer != null) {
            buffer.close(failure, false);
        }
        runOnEnd();
    }

    private static boolean isRetryable(ParleyException error) {
        return error instanceof TransportException transport && transport.isRetryable();
    }

    private void checkHeartbeat() {
        if (terminal || subscription == null) {
            return;
        }
        long silentNanos = System.nanoTime() - lastActivityNanos;
        if (silentNanos > 2 * heartbeat.toNanos()) {
            lost(generation, new TransportException("no heartbeat from the node for "
                    + Duration.ofNanos(silentNanos).toMillis() + " ms", true));
        }
    }

    // ------------------------------------------------------------------ envelopes and demand

    private void onEnvelope(int gen, Envelope envelope) {
        if (gen != generation || terminal) {
            return;
        }
        if (subscription == null) {
            early.add(envelope); // arrived before the subscribe call completed; bounded by the initial demand
            return;
        }
        deliver(envelope);
        replenish();
    }

    private void deliver(Envelope envelope) {
        outstanding--;
        String topic = envelope.topic();
        Long cursor = cursors.get(topic);
        if (cursor == null || envelope.sequence() <= cursor) {
            return; // a topic we stopped following, or a duplicate
        }
        cursors.put(topic, envelope.sequence());
        try {
            plan.onEnvelope(envelope, context);
        } catch (RuntimeException e) {
            invoke(() -> options.onError().accept(e));
        }
        if (anchored.contains(topic)) {
            runtime.store.advanceCursor(topic, envelope.sequence());
        }
    }

    private void replenish() {
        if (terminal || subscription == null) {
            return;
        }
        long free = window - outstanding - buffered();
        if (free > 0 && (free >= replenishThreshold || outstanding == 0)) {
            outstanding += free;
            subscription.request(free);
        }
    }

    private void consumerTook() {
        if (replenishQueued.compareAndSet(false, true)) {
            try {
                serial.execute(() -> {
                    replenishQueued.set(false);
                    replenish();
                });
            } catch (RejectedExecutionException e) {
                log.trace("client closed; no more demand needed");
            }
        }
    }

    private long buffered() {
        return buffer == null ? 0 : buffer.size();
    }

    /** Values waiting in the pull buffer; for tests of the memory bound. */
    int bufferedForTest() {
        return buffer == null ? 0 : buffer.size();
    }

    private void topicAdded(int gen, String topic, Map<String, Long> resolved, Throwable error) {
        if (gen != generation || terminal) {
            return;
        }
        if (error != null) {
            ParleyException e = Failures.asParley(error);
            if (e instanceof PermissionDeniedException || e instanceof ProtocolException) {
                cursors.remove(topic);
                anchored.remove(topic);
                invoke(() -> options.onError().accept(e));
            }
            return; // a transport failure reaches us through the subscription as well
        }
        Long start = resolved.get(topic);
        if (start != null) {
            cursors.computeIfPresent(topic, (t, cursor) -> Math.max(cursor, start));
        }
    }

    // ------------------------------------------------------------------ ending

    @Override
    public void end() {
        if (endRequested.compareAndSet(false, true)) {
            try {
                serial.execute(this::finishEnd);
            } catch (RejectedExecutionException e) {
                finished.complete(null); // the client is gone; nothing can run any more
            }
        }
        if (!serial.inExecutor()) {
            finished.join();
        }
    }

    @Override
    public void close() {
        end();
    }

    private void finishEnd() {
        if (terminal) {
            return;
        }
        terminal = true;
        generation++;
        state = StreamState.ENDED;
        release();
        if (buffer != null) {
            buffer.close(null, true);
        }
        firstAttempt.complete(null);
        runOnEnd();
    }

    /** Frees the subscription and every timer. */
    private void release() {
        dropSubscription();
        cancel(watchdog);
        cancel(retryTimer);
    }

    private void dropSubscription() {
        cancel(stabilityTimer);
        cancel(subscribeTimeout);
        early.clear();
        if (subscription != null) {
            Subscription old = subscription;
            subscription = null;
            try {
                old.cancel();
            } catch (RuntimeException e) {
                log.debug("cancelling a broken subscription failed", e); // it is gone either way
            }
        }
    }

    private void runOnEnd() {
        if (!onEndRan) {
            onEndRan = true;
            guarded(options.onEnd());
        }
        runtime.ended(this);
        finished.complete(null);
    }

    // ------------------------------------------------------------------ callbacks and timers

    /** Runs a user callback unless the stream is being ended; a throwing callback goes to onError. */
    private void invoke(Runnable callback) {
        if (endRequested.get()) {
            return;
        }
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.debug("stream callback threw", e);
            guarded(() -> options.onError().accept(e));
        }
    }

    private static void guarded(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("stream callback threw", e);
        }
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable onSerial) {
        try {
            return runtime.timers.schedule(() -> serial.execute(onSerial), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // client closing: the stream is about to be ended
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    // ------------------------------------------------------------------ pull mode

    @Override
    public Optional<T> poll(Duration timeout) throws InterruptedException {
        return pullBuffer().poll(Math.max(0, timeout.toNanos()));
    }

    @Override
    public Iterator<T> iterator() {
        PullBuffer<T> values = pullBuffer();
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    next = values.poll(-1).orElse(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (next == null) {
                    RuntimeException failure = values.failureAfterDrain();
                    if (failure != null) {
                        throw failure;
                    }
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("stream ended");
                }
                T value = next;
                next = null;
                return value;
            }
        };
    }

    private PullBuffer<T> pullBuffer() {
        if (buffer == null) {
            throw new IllegalStateException("this stream is in push mode (onValue is set): values go to onValue");
        }
        return buffer;
    }

    @Override
    public boolean isDone() {
        return state.isFinal();
    }

    @Override
    public StreamState state() {
        return state;
    }

    /** Listener bound to one attempt; events of older attempts are ignored. */
    private final class Listener implements SubscriptionListener {
        private final int gen;

        Listener(int gen) {
            this.gen = gen;
        }

        @Override
        public void onEnvelope(Envelope envelope) {
            lastActivityNanos = System.nanoTime();
            post(() -> StreamEngine.this.onEnvelope(gen, envelope));
        }

        @Override
        public void onEnvelopes(List<Envelope> envelopes) {
            lastActivityNanos = System.nanoTime();
            post(() -> envelopes.forEach(envelope -> StreamEngine.this.onEnvelope(gen, envelope)));
        }

        @Override
        public void onHeartbeat() {
            lastActivityNanos = System.nanoTime();
        }

        @Override
        public void onError(Throwable error) {
            post(() -> lost(gen, error));
        }

        @Override
        public void onClosed() {
            post(() -> lost(gen, new TransportException("the node closed the subscription", true)));
        }

        private void post(Runnable event) {
            try {
                serial.execute(event);
            } catch (RejectedExecutionException e) {
                log.trace("client closed; subscription event dropped");
            }
        }
    }

    private final class Context implements StreamContext<T> {
        @Override
        public void emit(T value) {
            if (onValue != null) {
                invoke(() -> onValue.accept(value));
            } else {
                buffer.add(value);
            }
        }

        @Override
        public void addTopic(String topic, long cursor) {
            if (cursors.containsKey(topic)) {
                return;
            }
            cursors.put(topic, cursor);
            if (cursor == Topics.LATEST) {
                anchored.remove(topic);
            } else {
                anchored.add(topic);
            }
            if (subscription != null) {
                int gen = generation;
                subscription.addTopics(Map.of(topic, cursor)).whenComplete((resolved, error) ->
                        serial.execute(() -> topicAdded(gen, topic, resolved, error)));
            }
        }

        @Override
        public void removeTopic(String topic) {
            if (cursors.remove(topic) != null) {
                anchored.remove(topic);
                if (subscription != null) {
                    subscription.removeTopics(List.of(topic));
                }
            }
        }

        @Override
        public boolean follows(String topic) {
            return cursors.containsKey(topic);
        }
    }
}
