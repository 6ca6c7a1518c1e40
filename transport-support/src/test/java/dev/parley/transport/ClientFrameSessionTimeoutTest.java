package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.Identity;
import dev.parley.TransportException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.protocol.PublishRequest;
import dev.parley.spi.TransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Request deadlines of one connection, over a scripted link that answers the handshake itself. */
class ClientFrameSessionTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final ScriptedLinks links = new ScriptedLinks();

    ClientFrameSessionTimeoutTest() {
        timers.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimers() throws InterruptedException {
        timers.shutdownNow();
        assertThat(timers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private ClientFrameSession openConnection() throws Exception {
        TransportConfig config = TransportConfig.builder().authenticator(Identity.generate())
                .requestTimeout(TIMEOUT).build();
        return new ClientFrameSession(links, config, timers, new TicketHolder()).open().get(5, TimeUnit.SECONDS);
    }

    private static ClientFrame.Builder publish() {
        return ClientFrame.newBuilder().setPublish(PublishRequest.newBuilder().setTopic("conv/c")
                .setPayload(ByteString.copyFromUtf8("x")).setIdempotencyKey("k"));
    }

    @Test
    void anUnansweredRequestFailsRetryablyAfterTheTimeout() throws Exception {
        ClientFrameSession connection = openConnection();
        links.answerPublishes = false;
        long start = System.nanoTime();

        CompletableFuture<NodeFrame> answer = connection.request(publish(), NodeFrame.BodyCase.PUBLISH_RESULT);

        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class)
                .hasMessageContaining("no answer from the node")
                .satisfies(e -> assertThat(((TransportException) e).isRetryable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
    }

    @Test
    void answeredRequestsCompleteAndLeaveNothingPending() throws Exception {
        ClientFrameSession connection = openConnection();

        for (int i = 0; i < 1_000; i++) {
            NodeFrame answer = connection.request(publish(), NodeFrame.BodyCase.PUBLISH_RESULT)
                    .get(5, TimeUnit.SECONDS);
            assertThat(answer.getPublishResult().getSequence()).isEqualTo(i + 1);
        }
        // only the heartbeat task and the deadline sweep are scheduled: no timer per request (those of the last
        // requests would still be pending here). One of the two may be out of the queue while it runs on the
        // timer's single thread, so 1 or 2.
        assertThat(timers.getQueue().size()).isBetween(1, 2);
    }

    @Test
    void closingFailsPendingRequestsWithTheReasonAndStopsTheSweep() throws Exception {
        ClientFrameSession connection = openConnection();
        links.answerPublishes = false;
        CompletableFuture<NodeFrame> answer = connection.request(publish(), NodeFrame.BodyCase.PUBLISH_RESULT);

        connection.close(new TransportException("going away", true));

        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).cause().hasMessage("going away");
        await().atMost(Duration.ofSeconds(5)).until(() -> timers.getQueue().isEmpty());
    }
}
