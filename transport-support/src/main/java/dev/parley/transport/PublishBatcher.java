package dev.parley.transport;

import dev.parley.ProtocolException;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.PublishBatch;
import dev.parley.protocol.PublishOutcome;
import dev.parley.protocol.PublishRequest;
import dev.parley.spi.PublishResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The publishes of one link, sent in as few frames as possible without waiting for anything: a publish
 * goes out at once while fewer than {@value #MAX_FRAMES_IN_FLIGHT} publish frames await their answer;
 * beyond that it waits, and the next answer sends everything then waiting as one {@code PublishBatch}
 * frame (at most {@link WireLimits#MAX_PUBLISHES_PER_BATCH} publishes and
 * {@link WireLimits#MAX_PUBLISH_BATCH_BYTES}). So a lone publish travels alone, at once, while a busy
 * connection sends batches as large as what queued during one round trip, and the node answers each
 * batch with one frame. Frames leave in the order the publishes were made.
 *
 * <p>Each publish has its own deadline, whether it waits or travels in a batch with younger or older
 * ones: {@link #expire} fails it then (a batch's frame itself waits for its youngest publish's deadline).
 */
final class PublishBatcher {
    /** Publish frames awaiting their answer before further publishes wait to be batched. */
    static final int MAX_FRAMES_IN_FLIGHT = 4;

    /** Sends frames on the link, and what else the batcher needs of its session. */
    interface Sender {
        /**
         * Registers a request id and sends {@code frame} under it; the future completes with the answer, an
         * error, or a timeout at {@code deadlineNanos} ({@link System#nanoTime()} time).
         */
        CompletableFuture<NodeFrame> send(ClientFrame.Builder frame, long deadlineNanos);

        /** The failure of a publish whose deadline passed without an answer. */
        Throwable noAnswer();

        /** Why the link is closed, or {@code null} while it is open. */
        Throwable closedBy();
    }

    private final Sender sender;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // guarded by this
    private final List<List<Waiting>> inFlight = new ArrayList<>();  // publish frames awaiting an answer, guarded by this

    PublishBatcher(Sender sender) {
        this.sender = sender;
    }

    /**
     * Sends {@code request} now or with the next batch; completes with where the node stored it, or fails
     * with {@link Sender#noAnswer()} once {@code deadlineNanos} ({@link System#nanoTime()} time) has passed.
     */
    CompletableFuture<PublishResult> publish(PublishRequest request, long deadlineNanos) {
        CompletableFuture<PublishResult> ack = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Waiting(request, ack, deadlineNanos));
            if (inFlight.size() < MAX_FRAMES_IN_FLIGHT) {
                sendWaiting(false);
            }
        }
        return ack;
    }

    /** Sends every waiting publish now, whatever is in flight: a request made after them must not overtake them. */
    synchronized void flush() {
        if (!waiting.isEmpty()) {
            sendWaiting(true);
        }
    }

    /** Fails what is waiting (the link is gone; frames in flight fail through their answers). */
    void failWaiting(Throwable reason) {
        List<Waiting> failed;
        synchronized (this) {
            failed = new ArrayList<>(waiting);
            waiting.clear();
        }
        failed.forEach(w -> w.ack.completeExceptionally(reason));
    }

    /**
     * Fails every publish whose deadline is {@code nowNanos} or earlier and that has no answer yet: waiting ones
     * are dropped (never sent), ones in a frame in flight fail alone (a late answer for them is ignored).
     */
    void expire(long nowNanos) {
        List<Waiting> expired = new ArrayList<>();
        synchronized (this) {
            waiting.removeIf(w -> nowNanos - w.deadlineNanos >= 0 && expired.add(w));
            for (List<Waiting> batch : inFlight) {
                for (Waiting w : batch) {
                    if (nowNanos - w.deadlineNanos >= 0 && !w.ack.isDone()) {
                        expired.add(w);
                    }
                }
            }
        }
        if (!expired.isEmpty()) {
            Throwable noAnswer = sender.noAnswer();
            expired.forEach(w -> w.ack.completeExceptionally(noAnswer));
        }
    }

    /** Sends waiting publishes as frames while the window allows (always, when {@code all}). Holds the lock. */
    private void sendWaiting(boolean all) {
        while (!waiting.isEmpty() && (all || inFlight.size() < MAX_FRAMES_IN_FLIGHT)) {
            Throwable closed = sender.closedBy();
            if (closed != null) {
                waiting.forEach(w -> w.ack.completeExceptionally(closed));
                waiting.clear();
                return;
            }
            List<Waiting> batch = takeBatch();
            inFlight.add(batch);
            sender.send(frameOf(batch), youngestDeadline(batch)).whenComplete((answer, error) -> {
                answered(batch, answer, error);
                synchronized (this) {
                    inFlight.removeIf(b -> b == batch);
                    sendWaiting(false);
                }
            });
        }
    }

    private List<Waiting> takeBatch() {
        List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), WireLimits.MAX_PUBLISHES_PER_BATCH));
        long bytes = 0;
        while (!waiting.isEmpty() && batch.size() < WireLimits.MAX_PUBLISHES_PER_BATCH) {
            int size = waiting.peek().request.getSerializedSize();
            if (!batch.isEmpty() && bytes + size > WireLimits.MAX_PUBLISH_BATCH_BYTES) {
                break;
            }
            batch.add(waiting.poll());
            bytes += size;
        }
        return batch;
    }

    private static long youngestDeadline(List<Waiting> batch) {
        long youngest = batch.get(0).deadlineNanos;
        for (Waiting w : batch) {
            if (w.deadlineNanos - youngest > 0) {
                youngest = w.deadlineNanos;
            }
        }
        return youngest;
    }

    private static ClientFrame.Builder frameOf(List<Waiting> batch) {
        if (batch.size() == 1) {
            return ClientFrame.newBuilder().setPublish(batch.get(0).request);
        }
        PublishBatch.Builder publishes = PublishBatch.newBuilder();
        batch.forEach(w -> publishes.addPublishes(w.request));
        return ClientFrame.newBuilder().setPublishBatch(publishes);
    }

    /** Completes each publish of {@code batch} with its outcome in {@code answer}, or all with {@code error}. */
    private static void answered(List<Waiting> batch, NodeFrame answer, Throwable error) {
        if (error == null && batch.size() == 1 && answer.hasPublishResult()) {
            batch.get(0).ack.complete(resultOf(answer.getPublishResult()));
            return;
        }
        if (error == null && batch.size() > 1 && answer.hasPublishAcks()
                && answer.getPublishAcks().getOutcomesCount() == batch.size()) {
            for (int i = 0; i < batch.size(); i++) {
                PublishOutcome outcome = answer.getPublishAcks().getOutcomes(i);
                if (outcome.hasAck()) {
                    batch.get(i).ack.complete(resultOf(outcome.getAck()));
                } else {
                    batch.get(i).ack.completeExceptionally(outcome.hasError() ? Wire.fromWire(outcome.getError())
                            : new ProtocolException("node answered publish " + (i + 1) + " of a batch without an outcome"));
                }
            }
            return;
        }
        Throwable failure = error != null ? error : new ProtocolException("node answered " + answer.getBodyCase()
                + " to a batch of " + batch.size() + " publishes");
        batch.forEach(w -> w.ack.completeExceptionally(failure));
    }

    private static PublishResult resultOf(PublishAck ack) {
        return new PublishResult(ack.getSequence(), ack.getTimestampNs());
    }

    private record Waiting(PublishRequest request, CompletableFuture<PublishResult> ack, long deadlineNanos) {
    }
}
