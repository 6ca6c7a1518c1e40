package dev.parley.transport;

import dev.parley.ParleyException;
import dev.parley.ProtocolException;
import dev.parley.internal.Failures;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.PublishAckBatch;
import dev.parley.protocol.PublishBatch;
import dev.parley.protocol.PublishOutcome;
import dev.parley.protocol.PublishRequest;
import dev.parley.spi.PublishResult;
import dev.parley.spi.node.NodeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's side of a {@code PublishBatch}: each publish handed to the session in the batch's order
 * (so per-topic order and idempotency are those of separate frames), and one answer holding every
 * outcome once the last is known. A refused publish fails alone; an empty or too large batch is refused
 * as a whole with a {@link ProtocolException}.
 */
final class PublishBatches {
    private static final Logger log = LoggerFactory.getLogger(PublishBatches.class);

    private PublishBatches() {
    }

    /** Publishes every request of {@code batch}; completes with their outcomes, in order, once all are known. */
    static CompletableFuture<PublishAckBatch.Builder> publish(NodeSession session, PublishBatch batch, String remote) {
        int count = batch.getPublishesCount();
        if (count == 0 || count > WireLimits.MAX_PUBLISHES_PER_BATCH) {
            throw new ProtocolException("a publish batch holds 1 to " + WireLimits.MAX_PUBLISHES_PER_BATCH
                    + " publishes, this one " + count);
        }
        Outcomes outcomes = new Outcomes(count, remote);
        for (int i = 0; i < count; i++) {
            PublishRequest request = batch.getPublishes(i);
            CompletableFuture<PublishResult> published;
            try {
                published = session.publish(request.getTopic(), request.getPayload().toByteArray(),
                        request.getIdempotencyKey());
            } catch (RuntimeException e) {
                outcomes.settle(i, null, e);
                continue;
            }
            int index = i;
            if (published.isDone()) { // a store that appends at once: no stage per publish
                outcomes.settle(index, published);
            } else {
                published.whenComplete((result, error) -> outcomes.settle(index, result, error));
            }
        }
        return outcomes.answer;
    }

    /** The outcomes of one batch, answered once the last is known (whichever thread settles it). */
    private static final class Outcomes {
        final CompletableFuture<PublishAckBatch.Builder> answer = new CompletableFuture<>();
        private final PublishOutcome[] outcomes;
        private final AtomicInteger unknown;
        private final String remote;

        Outcomes(int count, String remote) {
            this.outcomes = new PublishOutcome[count];
            this.unknown = new AtomicInteger(count);
            this.remote = remote;
        }

        void settle(int index, CompletableFuture<PublishResult> done) {
            PublishResult result;
            try {
                result = done.join();
            } catch (CompletionException | CancellationException e) {
                settle(index, null, e);
                return;
            }
            settle(index, result, null);
        }

        void settle(int index, PublishResult result, Throwable error) {
            outcomes[index] = error == null
                    ? PublishOutcome.newBuilder().setAck(PublishAck.newBuilder()
                            .setSequence(result.sequence()).setTimestampNs(result.timestampNs())).build()
                    : refused(error, remote);
            if (unknown.decrementAndGet() == 0) { // after the write above: the answering thread sees every outcome
                answer.complete(PublishAckBatch.newBuilder().addAllOutcomes(Arrays.asList(outcomes)));
            }
        }
    }

    private static PublishOutcome refused(Throwable error, String remote) {
        if (!(Failures.unwrap(error) instanceof ParleyException)) {
            log.warn("a publish of a batch from {} failed", remote, error);
        }
        return PublishOutcome.newBuilder().setError(Wire.toWire(error)).build();
    }
}
