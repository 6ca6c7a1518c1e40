package dev.parley.core.stream;

import dev.parley.NodeResetException;
import dev.parley.ParleyException;
import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.util.SharedThreads;
import dev.parley.spi.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The state machine of one stream: attempts, retries, the end. Every event (envelopes, a lost
 * subscription, a timer, the end, consumer progress) is handled on one serial executor, so
 * callbacks never overlap and run in event order, and the fields marked "serial" need no locks.
 * What happens to each envelope is {@link Delivery}'s job; one try at a subscription is an
 * {@link Attempt}'s.
 */
final class StreamEngine<T> implements Attempt.Events {
    private static final Logger log = LoggerFactory.getLogger(StreamEngine.class);

    private final StreamPlan<T> plan;
    private final StreamOptions<T> options;
    private final StreamRuntime runtime;
    private final SerialExecutor serial;
    private final Callbacks<T> callbacks;
    private final Retries retries;
    private final Watchdog watchdog;
    private final Delivery<T> delivery;
    private final HistoryGuard history;
    private final CatchUps catchUps;
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile StreamState state = StreamState.CONNECTING;

    // serial
    private Attempt current;
    private boolean initialized;
    private boolean everLive;
    private boolean terminal;
    private Scheduler.Timer retryTimer = Scheduler.Timer.NONE;
    private Scheduler.Timer stabilityTimer = Scheduler.Timer.NONE;

    StreamEngine(StreamPlan<T> plan, StreamOptions<T> options, StreamRuntime runtime) {
        this.plan = plan;
        this.options = options;
        this.runtime = runtime;
        this.serial = new SerialExecutor(runtime.pool());
        this.callbacks = new Callbacks<>(options);
        this.retries = new Retries(options.retryOnFail(), options.retryAttempts(),
                new RetryPolicy(options.retryDelay().orElse(null), runtime.jitter()));
        this.watchdog = new Watchdog(runtime.scheduler(), runtime.heartbeatInterval(), () -> post(this::checkSilence));
        this.delivery = new Delivery<>(plan, options, callbacks, this::post);
        this.history = new HistoryGuard(plan);
        this.catchUps = new CatchUps(serial);
    }

    /** Runs the first attempt and returns once it is live or a retry is scheduled. */
    void start() {
        serial.execute(() -> {
            watchdog.start();
            newAttempt();
        });
        try {
            SharedThreads.join(firstAttempt);
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /**
     * The first attempt catches up, then subscribes from what the plan follows afterwards (the live start
     * point). A restart subscribes from the stream's own cursors at once, while it catches up: nothing
     * of the catch-up changes those cursors, and the attempt hands on what the subscription brings only
     * once the catch-up is done, so a reconnect waits for the longer of the two instead of both in turn. A
     * catch-up starts only once the previous attempt's has finished ({@link CatchUps}); the subscribe never waits.
     */
    private void newAttempt() {
        newAttempt(!options.disableSync());
    }

    /** A new attempt; without {@code catchUp} it subscribes as soon as it starts. */
    private void newAttempt(boolean catchUp) {
        state = everLive || retries.failed() > 0 ? StreamState.RETRYING : StreamState.CONNECTING;
        if (initialized && history.moved()) {
            // another path (the catch-up of an attempt dropped since) met the node's new history: subscribing with
            // the old history's cursors would only replay the wrong range, to be dropped once caught up
            history.planMoved();
            followNewHistory();
        }
        current = new Attempt(serial, this);
        if (!catchUp) {
            current.start(CompletableFuture.completedFuture(null));
        } else if (!initialized) {
            current.start(catchUps.run(plan::catchUp));
        } else {
            Map<String, Long> cursors = delivery.cursors();
            current.start(catchUps.run(plan.restartCatchUp(cursors)));
            subscribe(current, cursors);
        }
    }

    private void subscribe(Attempt attempt, Map<String, Long> cursors) {
        attempt.subscribe(runtime.transport(), cursors, delivery.openDemand(), options.bufferSize(),
                runtime.scheduler(), runtime.requestTimeout());
    }

    @Override
    public void ready(Attempt attempt) {
        if (attempt != current || terminal) {
            return;
        }
        if (!initialized) {
            try {
                history.cursorsStarted();
                delivery.follow(plan.initialCursors());
                initialized = true;
            } catch (RuntimeException e) {
                lost(attempt, e);
                return;
            }
        } else if (history.moved()) {
            history.planMoved(); // the catch-up met the node's new history: the cursors point into the old one
            followNewHistory();
            if (attempt.subscribing()) {
                // it subscribed with the old history's cursors: subscribe again, caught up already
                dropAttempt();
                newAttempt(false);
                return;
            }
        } else if (attempt.subscribing()) {
            return; // it goes live once the node accepted the subscription
        }
        subscribe(attempt, delivery.cursors());
    }

    @Override
    public void live(Attempt attempt) {
        if (attempt != current || terminal) {
            return;
        }
        if (restartedBecauseHistoryMoved()) {
            return; // the node's history changed while this attempt subscribed with the old cursors
        }
        watchdog.heard();
        boolean restarted = everLive || retries.failed() > 0;
        everLive = true;
        state = StreamState.LIVE;
        firstAttempt.complete(null);
        delivery.attach(attempt.subscription());
        if (plan.exhausted()) {
            sourceDone();
            return;
        }
        if (restarted) {
            callbacks.restart();
            stabilityTimer = schedule(runtime.heartbeatInterval(), () -> {
                if (attempt == current && state == StreamState.LIVE) {
                    retries.reset();
                }
            });
        }
    }

    @Override
    public void envelopes(Attempt attempt, List<Envelope> envelopes) {
        if (attempt != current || terminal) {
            return;
        }
        if (restartedBecauseHistoryMoved()) {
            return; // another path met the node's new history: these envelopes belong to the old one
        }
        if (!delivery.withinDemand(envelopes.size())) {
            // a node must not make the client buffer more than it asked for: a protocol violation of
            // this subscription, retryable, so the stream resubscribes from its cursors
            lost(attempt, new TransportException("node sent " + envelopes.size()
                    + " envelopes beyond the demand it was granted; resubscribing", true));
            return;
        }
        if (delivery.deliver(envelopes)) {
            sourceDone();
        }
    }

    /** The plan said its source has nothing more: the stream ends after what it emitted. */
    private void sourceDone() {
        terminate(StreamState.ENDED);
        delivery.closeBuffer(null, false);
        finish();
    }

    @Override
    public void lost(Attempt attempt, Throwable failure) {
        if (attempt != current || terminal) {
            return;
        }
        ParleyException error = Failures.asParley(failure);
        dropAttempt();
        if (error instanceof NodeResetException reset && history.follow(reset)) {
            restartInNewHistory();
            return;
        }
        if (error instanceof NodeResetException && restartedBecauseHistoryMoved()) {
            return; // a restart's catch-up, running beside its subscribe, made the plan adopt the new history first
        }
        boolean retry = retries.allow(error);
        if (!retry && !firstAttempt.isDone()) {
            // the very first attempt failed for good: start() throws, no callback runs
            terminate(StreamState.FAILED);
            ended();
            runtime.ended(this);
            finished.complete(null);
            firstAttempt.completeExceptionally(new StreamFailedException(retries.failed(), error));
            return;
        }
        log.debug("stream lost its subscription: {}", error.getMessage());
        callbacks.error(error);
        if (!retry) {
            fail(error);
            return;
        }
        Duration delay = retries.next();
        int attemptNumber = retries.failed();
        state = StreamState.RETRYING;
        retryTimer = schedule(delay, () -> {
            if (!terminal && current == null) {
                callbacks.retry(attemptNumber, retries.max());
                newAttempt();
            }
        });
        firstAttempt.complete(null);
    }

    /**
     * When another path moved the plan to the node's new history, drops the current attempt (its
     * cursors and envelopes are the old history's) and starts again in the new one.
     */
    private boolean restartedBecauseHistoryMoved() {
        if (!history.moved()) {
            return false;
        }
        dropAttempt();
        history.planMoved();
        restartInNewHistory();
        return true;
    }

    /** Follows the new history ({@link #followNewHistory}) and subscribes again at once. */
    private void restartInNewHistory() {
        followNewHistory();
        newAttempt();
    }

    /** Reports what of the old history is lost; the plan's topics start from the new one's first entry. */
    private void followNewHistory() {
        log.info("the node's history changed; the stream starts again from the new one");
        history.cursorsStarted();
        delivery.restartInNewHistory();
    }

    @Override
    public void heard() {
        watchdog.heard();
    }

    private void checkSilence() {
        if (!terminal && current != null && current.subscription() != null && watchdog.silent()) {
            lost(current, new TransportException("no heartbeat from the node for "
                    + Duration.ofNanos(watchdog.silentNanos()).toMillis() + " ms", true));
        }
    }

    private void fail(ParleyException cause) {
        StreamFailedException failure = new StreamFailedException(retries.failed(), cause);
        terminate(StreamState.FAILED);
        callbacks.error(failure);
        callbacks.fail();
        delivery.closeBuffer(failure, false);
        finish();
    }

    /**
     * Ends the stream; idempotent. With {@code wait}, returns once {@code onEnd} has run, unless
     * called on the stream's own executor (from a callback), where waiting would deadlock.
     */
    void end(boolean wait) {
        if (callbacks.beginEnding()) {
            try {
                serial.execute(() -> {
                    if (!terminal) {
                        terminate(StreamState.ENDED);
                        delivery.closeBuffer(null, true);
                        firstAttempt.complete(null);
                        finish();
                    }
                });
            } catch (RejectedExecutionException e) {
                finished.complete(null); // the client is gone; nothing can run any more
            }
        }
        if (wait && !serial.inExecutor()) {
            SharedThreads.join(finished); // a callback ending another stream must not use up the shared pool
        }
    }

    StreamState state() {
        return state;
    }

    Delivery<T> delivery() {
        return delivery;
    }

    /** Final state; frees the subscription and every timer. */
    private void terminate(StreamState finalState) {
        terminal = true;
        state = finalState;
        dropAttempt();
        watchdog.stop();
        retryTimer.cancel();
    }

    private void finish() {
        ended();
        callbacks.end();
        runtime.ended(this);
        finished.complete(null);
    }

    private void ended() {
        try {
            plan.ended();
        } catch (RuntimeException e) {
            log.warn("stream plan failed to finish", e);
        }
    }

    private void dropAttempt() {
        stabilityTimer.cancel();
        delivery.detach();
        if (current != null) {
            current.cancel();
            current = null;
        }
    }

    private Scheduler.Timer schedule(Duration delay, Runnable onSerial) {
        return runtime.scheduler().scheduleIfRunning(delay, () -> post(onSerial));
    }

    private void post(Runnable event) {
        try {
            serial.execute(event);
        } catch (RejectedExecutionException e) {
            log.trace("client closed; stream event dropped");
        }
    }
}
