package dev.parley.core.stream;

import dev.parley.NodeResetException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One try at a live subscription: catch up (optional), subscribe, then carry the subscription's
 * events to the stream on its serial executor. A restart may subscribe while it catches up: the
 * attempt then goes live, and hands on what the subscription brought, only once both are done, so
 * the stream sees the envelopes after the catch-up as before. Once cancelled, an attempt reports
 * nothing more and cancels what it opens late, so the stream only ever hears from its current attempt.
 */
final class Attempt implements SubscriptionListener {
    private static final Logger log = LoggerFactory.getLogger(Attempt.class);

    /** What the stream hears from an attempt; every call on the serial executor. */
    interface Events {
        /**
         * Caught up: time to subscribe, unless the attempt {@linkplain #subscribing() subscribed} already
         * (it then goes live once its subscription is open).
         */
        void ready(Attempt attempt);

        /** The node accepted the subscription. */
        void live(Attempt attempt);

        void envelopes(Attempt attempt, List<Envelope> envelopes);

        /** The attempt failed or its subscription broke. */
        void lost(Attempt attempt, Throwable error);

        /** Anything arrived from the node (any thread). */
        void heard();
    }

    private final Executor serial;
    private final Events events;
    private final List<Envelope> early = new ArrayList<>(); // before the attempt went live; bounded by demand
    private Subscription opened; // accepted by the node while the catch-up still ran
    private Subscription subscription; // live
    private boolean caughtUp;
    private boolean subscribing;
    private Scheduler.Timer deadline = Scheduler.Timer.NONE;
    private boolean cancelled;
    private CompletableFuture<Void> catchingUp;
    private Throwable refused; // the node refused the subscribe while the catch-up ran: told once it is done

    Attempt(Executor serial, Events events) {
        this.serial = serial;
        this.events = events;
    }

    /**
     * Reports {@link Events#ready} once {@code catchingUp} (the attempt's catch-up, see {@link CatchUps}) is done;
     * cancelling the attempt cancels it.
     */
    void start(CompletableFuture<Void> catchingUp) {
        this.catchingUp = catchingUp;
        catchingUp.whenComplete((v, error) -> post(() -> {
            if (error != null) {
                events.lost(this, error);
                return;
            }
            this.caughtUp = true;
            events.ready(this);
            if (!cancelled && refused != null) {
                events.lost(this, refused);
            } else if (!cancelled && opened != null) {
                goLive();
            }
        }));
    }

    /**
     * Subscribes, over several transport subscriptions when the node's limits require
     * ({@link SplitSubscription}, each granted up to {@code window} of its own); fails the attempt when
     * the node has not accepted within {@code timeout}.
     */
    void subscribe(Transport transport, Map<String, Long> cursors, long demand, long window, Scheduler scheduler,
                   Duration timeout) {
        subscribing = true;
        deadline = scheduler.scheduleIfRunning(timeout, () -> post(() -> {
            if (subscription == null && opened == null) { // accepted, it may still wait for the catch-up
                events.lost(this, new TransportException("node did not accept the subscription within " + timeout, true));
            }
        }));
        CompletableFuture<Subscription> opening;
        try {
            opening = SplitSubscription.open(transport, cursors, demand, window, this);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((sub, error) -> serial.execute(() -> opened(sub, error)));
    }

    private void opened(Subscription sub, Throwable error) {
        if (cancelled) {
            if (sub != null) {
                sub.cancel();
            }
            return;
        }
        deadline.cancel();
        if (error != null && !caughtUp && !(Failures.asParley(error) instanceof NodeResetException)) {
            // the catch-up may yet find that the node serves a new history, which explains a refusal of the
            // old history's cursors (its conversations unknown there): the stream then subscribes again in the
            // new one instead of failing; so the refusal waits for the catch-up's end (a refusal that names the
            // new history is acted on at once)
            refused = error;
            return;
        }
        if (error != null) {
            events.lost(this, error);
            return;
        }
        opened = sub;
        if (caughtUp) {
            goLive();
        }
    }

    /** Subscribed (or subscribing): the catch-up's end need not subscribe again. */
    boolean subscribing() {
        return subscribing;
    }

    /** Caught up and accepted by the node: live, with what arrived meanwhile delivered first. */
    private void goLive() {
        subscription = opened;
        opened = null;
        events.live(this);
        if (!cancelled && !early.isEmpty()) {
            List<Envelope> pending = List.copyOf(early);
            early.clear();
            events.envelopes(this, pending);
        }
    }

    /** The live subscription; null until the node accepted it and the catch-up is done. */
    Subscription subscription() {
        return subscription;
    }

    /** Frees the subscription and the deadline; nothing more is reported. Idempotent. */
    void cancel() {
        cancelled = true;
        if (catchingUp != null) {
            catchingUp.cancel(false); // not started yet: it never will
        }
        early.clear();
        deadline.cancel();
        Subscription old = subscription != null ? subscription : opened;
        subscription = null;
        opened = null;
        if (old != null) {
            try {
                old.cancel();
            } catch (RuntimeException e) {
                log.debug("cancelling a broken subscription failed", e); // it is gone either way
            }
        }
    }

    @Override
    public void onEnvelope(Envelope envelope) {
        onEnvelopes(List.of(envelope));
    }

    @Override
    public void onEnvelopes(List<Envelope> envelopes) {
        events.heard();
        post(() -> {
            if (subscription == null) {
                early.addAll(envelopes);
            } else {
                events.envelopes(this, envelopes);
            }
        });
    }

    @Override
    public void onHeartbeat() {
        events.heard();
    }

    @Override
    public void onError(Throwable error) {
        post(() -> events.lost(this, error));
    }

    @Override
    public void onClosed() {
        post(() -> events.lost(this, new TransportException("the node closed the subscription", true)));
    }

    /** Runs {@code event} on the serial executor unless this attempt was cancelled by then. */
    private void post(Runnable event) {
        try {
            serial.execute(() -> {
                if (!cancelled) {
                    event.run();
                }
            });
        } catch (RejectedExecutionException e) {
            log.trace("client closed; attempt event dropped");
        }
    }
}
