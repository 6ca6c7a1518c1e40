package dev.parley.transport;

import dev.parley.LimitExceededException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorDetail;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishAck;
import dev.parley.protocol.PublishAckBatch;
import dev.parley.protocol.PublishOutcome;
import dev.parley.protocol.PublishRequest;
import dev.parley.spi.PublishResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class PublishBatcherTest {
    /** What the batcher sent, each frame with the future its answer completes. */
    private final List<ClientFrame> frames = new ArrayList<>();
    private final List<CompletableFuture<NodeFrame>> answers = new ArrayList<>();
    /** The deadline the batcher gave each frame. */
    private final List<Long> frameDeadlines = new ArrayList<>();
    private static final TransportException NO_ANSWER = new TransportException("no answer", true);
    private static final long LATER = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    private volatile Throwable closedBy;
    private final PublishBatcher batcher = new PublishBatcher(new PublishBatcher.Sender() {
        @Override
        public CompletableFuture<NodeFrame> send(ClientFrame.Builder frame, long deadlineNanos) {
            frames.add(frame.build());
            frameDeadlines.add(deadlineNanos);
            CompletableFuture<NodeFrame> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public Throwable noAnswer() {
            return NO_ANSWER;
        }

        @Override
        public Throwable closedBy() {
            return closedBy;
        }
    });

    private static PublishRequest request(int i) {
        return PublishRequest.newBuilder().setTopic("t").setIdempotencyKey("k" + i).build();
    }

    private static PublishOutcome ack(long sequence) {
        return PublishOutcome.newBuilder().setAck(PublishAck.newBuilder().setSequence(sequence)).build();
    }

    @Test
    void publishesGoOutAtOnceUntilTheWindowIsFullThenWaitingOnesLeaveTogetherOnTheNextAnswer() {
        List<CompletableFuture<PublishResult>> acks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acks.add(batcher.publish(request(i), LATER));
        }
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT);
        assertThat(frames).allSatisfy(f -> assertThat(f.hasPublish()).isTrue());

        answers.get(0).complete(NodeFrame.newBuilder().setPublishResult(PublishAck.newBuilder().setSequence(1)).build());
        assertThat(acks.get(0).join().sequence()).isEqualTo(1);
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT + 1);
        ClientFrame batch = frames.get(PublishBatcher.MAX_FRAMES_IN_FLIGHT);
        assertThat(batch.getPublishBatch().getPublishesList()).extracting(PublishRequest::getIdempotencyKey)
                .containsExactly("k4", "k5", "k6", "k7", "k8", "k9");

        PublishAckBatch.Builder outcomes = PublishAckBatch.newBuilder();
        for (int i = 4; i < 10; i++) {
            outcomes.addOutcomes(i == 6 ? PublishOutcome.newBuilder().setError(ErrorDetail.newBuilder()
                    .setCode(ErrorDetail.Code.CODE_RESOURCE_EXHAUSTED).setLimit("maxStoredBytesPerInbox")).build()
                    : ack(i + 1));
        }
        answers.get(PublishBatcher.MAX_FRAMES_IN_FLIGHT).complete(NodeFrame.newBuilder().setPublishAcks(outcomes).build());
        assertThat(acks.get(5).join().sequence()).isEqualTo(6);
        assertThat(acks.get(9).join().sequence()).isEqualTo(10);
        assertThat(catchThrowable(() -> acks.get(6).join())).hasCauseInstanceOf(LimitExceededException.class);
    }

    @Test
    void aFlushSendsWhatWaitsWhateverIsInFlight() {
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 2; i++) {
            batcher.publish(request(i), LATER);
        }
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT);
        batcher.flush();
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT + 1);
        assertThat(frames.get(PublishBatcher.MAX_FRAMES_IN_FLIGHT).getPublishBatch().getPublishesCount()).isEqualTo(2);
    }

    @Test
    void anAnswerThatDoesNotFitTheBatchFailsEveryPublishOfIt() {
        List<CompletableFuture<PublishResult>> acks = new ArrayList<>();
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 2; i++) {
            acks.add(batcher.publish(request(i), LATER));
        }
        batcher.flush();
        answers.get(PublishBatcher.MAX_FRAMES_IN_FLIGHT).complete(NodeFrame.newBuilder()
                .setPublishAcks(PublishAckBatch.newBuilder().addOutcomes(ack(1))).build());
        for (int i = PublishBatcher.MAX_FRAMES_IN_FLIGHT; i < acks.size(); i++) {
            assertThat(catchThrowable(acks.get(i)::join)).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void waitingPublishesFailWithTheLinksReasonWhenItCloses() {
        List<CompletableFuture<PublishResult>> acks = new ArrayList<>();
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 3; i++) {
            acks.add(batcher.publish(request(i), LATER));
        }
        TransportException lost = new TransportException("connection lost", true);
        closedBy = lost;
        answers.get(0).completeExceptionally(lost);
        batcher.failWaiting(lost);
        assertThat(acks).allSatisfy(a -> {
            if (acks.indexOf(a) > 0 && acks.indexOf(a) < PublishBatcher.MAX_FRAMES_IN_FLIGHT) {
                return; // in flight: their answers decide
            }
            assertThat(catchThrowable(a::join)).hasCause(lost);
        });
        assertThat(frames).as("nothing sent on a closed link").hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT);
    }

    @Test
    void eachPublishFailsAtItsOwnDeadlineWaitingOrInABatchAndALateAnswerChangesNothing() {
        long t = System.nanoTime();
        List<CompletableFuture<PublishResult>> acks = new ArrayList<>();
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 3; i++) {
            acks.add(batcher.publish(request(i), t + i)); // deadlines t, t + 1, ...
        }
        int firstWaiting = PublishBatcher.MAX_FRAMES_IN_FLIGHT;

        batcher.expire(t + firstWaiting); // the frames in flight up to then, and the first waiting one
        for (int i = 0; i <= firstWaiting; i++) {
            assertThat(catchThrowable(acks.get(i)::join)).hasCause(NO_ANSWER);
        }
        assertThat(acks.subList(firstWaiting + 1, acks.size())).noneMatch(CompletableFuture::isDone);

        answers.get(0).completeExceptionally(NO_ANSWER); // the node's sweep times out the first frame
        assertThat(frames).as("the expired waiting publish is never sent").hasSize(firstWaiting + 1);
        assertThat(frames.get(firstWaiting).getPublishBatch().getPublishesList()).extracting(PublishRequest::getIdempotencyKey)
                .containsExactly("k" + (firstWaiting + 1), "k" + (firstWaiting + 2));
        assertThat(frameDeadlines.get(firstWaiting)).as("a batch's frame waits for its youngest publish")
                .isEqualTo(t + firstWaiting + 2);

        batcher.expire(t + firstWaiting + 1); // the older publish of the batch fails alone
        assertThat(catchThrowable(acks.get(firstWaiting + 1)::join)).hasCause(NO_ANSWER);
        assertThat(acks.get(firstWaiting + 2)).isNotDone();

        answers.get(firstWaiting).complete(NodeFrame.newBuilder().setPublishAcks(PublishAckBatch.newBuilder()
                .addOutcomes(ack(5)).addOutcomes(ack(6))).build());
        assertThat(acks.get(firstWaiting + 2).join().sequence()).isEqualTo(6);
        assertThat(catchThrowable(acks.get(firstWaiting + 1)::join)).as("late answer ignored").hasCause(NO_ANSWER);
    }
}
