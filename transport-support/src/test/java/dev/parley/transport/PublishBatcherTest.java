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
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class PublishBatcherTest {
    /** What the batcher sent, each frame with the future its answer completes. */
    private final List<ClientFrame> frames = new ArrayList<>();
    private final List<CompletableFuture<NodeFrame>> answers = new ArrayList<>();
    private volatile Throwable closedBy;
    private final PublishBatcher batcher = new PublishBatcher(new PublishBatcher.Sender() {
        @Override
        public CompletableFuture<NodeFrame> send(ClientFrame.Builder frame) {
            frames.add(frame.build());
            CompletableFuture<NodeFrame> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
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
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            acks.add(batcher.publish(request(i)));
        }
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT);
        assertThat(frames).allSatisfy(f -> assertThat(f.hasPublish()).isTrue());

        answers.get(0).complete(NodeFrame.newBuilder().setPublishResult(PublishAck.newBuilder().setSequence(1)).build());
        assertThat(acks.get(0).join().getSequence()).isEqualTo(1);
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
        assertThat(acks.get(5).join().getSequence()).isEqualTo(6);
        assertThat(acks.get(9).join().getSequence()).isEqualTo(10);
        assertThat(catchThrowable(() -> acks.get(6).join())).hasCauseInstanceOf(LimitExceededException.class);
    }

    @Test
    void aFlushSendsWhatWaitsWhateverIsInFlight() {
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 2; i++) {
            batcher.publish(request(i));
        }
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT);
        batcher.flush();
        assertThat(frames).hasSize(PublishBatcher.MAX_FRAMES_IN_FLIGHT + 1);
        assertThat(frames.get(PublishBatcher.MAX_FRAMES_IN_FLIGHT).getPublishBatch().getPublishesCount()).isEqualTo(2);
    }

    @Test
    void anAnswerThatDoesNotFitTheBatchFailsEveryPublishOfIt() {
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 2; i++) {
            acks.add(batcher.publish(request(i)));
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
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < PublishBatcher.MAX_FRAMES_IN_FLIGHT + 3; i++) {
            acks.add(batcher.publish(request(i)));
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
}
