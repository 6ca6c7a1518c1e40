package dev.parley.core.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs one stream's catch-ups one at a time. A restart's catch-up starts only once the one
 * before it has finished: that one may belong to an attempt the stream dropped meanwhile (its subscription
 * failed first) and still be writing to the store. While one runs, at most one waits: a newer catch-up
 * replaces the waiting one, which never runs (its attempt was dropped before it started), so restarts while
 * a catch-up hangs queue nothing more and hold no thread. Catch-ups are started on the stream's serial
 * executor and must not block it; every method but the completion of a running catch-up is called there.
 */
final class CatchUps {
    private static final Logger log = LoggerFactory.getLogger(CatchUps.class);

    private final Executor serial;
    // serial
    private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
    private Waiting waiting;
    private boolean listening; // a completion of running will look at waiting

    CatchUps(Executor serial) {
        this.serial = serial;
    }

    /**
     * Starts {@code catchUp} once the previous catch-up has finished. The future completes when the catch-up's
     * does; cancelled before it started, it never starts.
     */
    CompletableFuture<Void> run(Supplier<CompletableFuture<Void>> catchUp) {
        if (waiting != null) {
            waiting.done.cancel(false); // superseded: its attempt is gone
            waiting = null;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (running.isDone()) {
            start(catchUp, done);
        } else {
            waiting = new Waiting(catchUp, done);
            listen();
        }
        return done;
    }

    private void listen() {
        if (!listening) {
            listening = true;
            running.whenComplete((v, error) -> post(this::next));
        }
    }

    private void next() {
        listening = false;
        if (waiting == null) {
            return;
        }
        if (!running.isDone()) {
            listen(); // another catch-up started since the one this completion was for
            return;
        }
        Waiting next = waiting;
        waiting = null;
        if (!next.done.isDone()) {
            start(next.catchUp, next.done);
        }
    }

    private void start(Supplier<CompletableFuture<Void>> catchUp, CompletableFuture<Void> done) {
        try {
            running = catchUp.get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenComplete((v, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
        });
    }

    private void post(Runnable event) {
        try {
            serial.execute(event);
        } catch (RejectedExecutionException e) {
            log.trace("client closed; a waiting catch-up is dropped");
        }
    }

    private record Waiting(Supplier<CompletableFuture<Void>> catchUp, CompletableFuture<Void> done) {
    }
}
