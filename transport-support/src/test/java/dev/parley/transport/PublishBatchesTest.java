package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.ConversationType;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.protocol.ErrorDetail;
import dev.parley.protocol.PublishAckBatch;
import dev.parley.protocol.PublishBatch;
import dev.parley.protocol.PublishOutcome;
import dev.parley.protocol.PublishRequest;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishBatchesTest {
    @Test
    void answersEveryOutcomeInBatchOrderOnceTheLastIsKnown() {
        CompletableFuture<PublishResult> later = new CompletableFuture<>();
        ScriptedSession session = new ScriptedSession(List.of(
                CompletableFuture.completedFuture(new PublishResult(1, 10)),
                CompletableFuture.failedFuture(new PermissionDeniedException("not a member")),
                later,
                CompletableFuture.completedFuture(new PublishResult(2, 20))));
        session.throwAt = 4;
        PublishBatch batch = batchOf(5);

        CompletableFuture<PublishAckBatch.Builder> answer = PublishBatches.publish(session, batch, "test");

        assertThat(answer).isNotDone(); // the third is not known yet
        later.complete(new PublishResult(3, 30));
        List<PublishOutcome> outcomes = answer.join().getOutcomesList();
        assertThat(outcomes).hasSize(5);
        assertThat(outcomes.get(0).getAck().getSequence()).isEqualTo(1);
        assertThat(outcomes.get(1).getError().getCode()).isEqualTo(ErrorDetail.Code.CODE_PERMISSION_DENIED);
        assertThat(outcomes.get(2).getAck().getSequence()).isEqualTo(3);
        assertThat(outcomes.get(2).getAck().getTimestampNs()).isEqualTo(30);
        assertThat(outcomes.get(3).getAck().getSequence()).isEqualTo(2);
        assertThat(outcomes.get(4).getError().getCode()).isEqualTo(ErrorDetail.Code.CODE_INVALID_ARGUMENT);
        assertThat(session.keys).containsExactly("k0", "k1", "k2", "k3", "k4");
    }

    @Test
    void aLaterFailureFailsItsPublishAlone() {
        CompletableFuture<PublishResult> later = new CompletableFuture<>();
        ScriptedSession session = new ScriptedSession(List.of(later,
                CompletableFuture.completedFuture(new PublishResult(5, 50))));

        CompletableFuture<PublishAckBatch.Builder> answer = PublishBatches.publish(session, batchOf(2), "test");
        later.completeExceptionally(new PermissionDeniedException("removed meanwhile"));

        List<PublishOutcome> outcomes = answer.join().getOutcomesList();
        assertThat(outcomes.get(0).getError().getMessage()).isEqualTo("removed meanwhile");
        assertThat(outcomes.get(1).getAck().getSequence()).isEqualTo(5);
    }

    @Test
    void anEmptyBatchIsRefusedAsAWhole() {
        assertThatThrownBy(() -> PublishBatches.publish(new ScriptedSession(List.of()), PublishBatch.getDefaultInstance(),
                "test")).isInstanceOf(ProtocolException.class);
    }

    private static PublishBatch batchOf(int count) {
        PublishBatch.Builder batch = PublishBatch.newBuilder();
        for (int i = 0; i < count; i++) {
            batch.addPublishes(PublishRequest.newBuilder().setTopic("conv/c").setIdempotencyKey("k" + i)
                    .setPayload(ByteString.copyFromUtf8("p" + i)));
        }
        return batch.build();
    }

    /** Answers publishes with the futures it was given, in order; throws at {@link #throwAt}. */
    private static final class ScriptedSession implements NodeSession {
        private final List<CompletableFuture<PublishResult>> answers;
        final List<String> keys = new ArrayList<>();
        int throwAt = -1;

        ScriptedSession(List<CompletableFuture<PublishResult>> answers) {
            this.answers = answers;
        }

        @Override
        public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
            keys.add(idempotencyKey);
            if (keys.size() - 1 == throwAt) {
                throw new ProtocolException("refused at once");
            }
            return answers.get(keys.size() - 1);
        }

        @Override
        public byte[] challenge() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String nodeName() {
            return "scripted";
        }

        @Override
        public String authenticate(byte[] publicKey, byte[] signature) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String inboxId() {
            return "inbox";
        }

        @Override
        public String epoch() {
            return "epoch";
        }

        @Override
        public List<Envelope> query(String topic, long afterSequence, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<String> createConversation(ConversationType type, List<String> memberInboxIds,
                                                           String name, String idempotencyKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription subscribe(Map<String, Long> cursors, long initialDemand, Duration heartbeatInterval,
                                      SubscriptionListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void onTerminated(Consumer<Throwable> handler) {
        }

        @Override
        public void close() {
        }
    }
}
