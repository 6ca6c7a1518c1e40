package dev.parley.core.conversation;

import dev.parley.core.UnsupportedTransport;
import dev.parley.LimitExceededException;
import dev.parley.PermissionDeniedException;
import dev.parley.TransportException;
import dev.parley.spi.PublishResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class RetriedPublishTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final PublishResult STORED = new PublishResult(7, 1_000);

    private final ExecutorService continuation = Executors.newSingleThreadExecutor(r -> new Thread(r, "continuation"));

    @AfterEach
    void stop() {
        continuation.shutdownNow();
    }

    @Test
    void aTransientFailureIsSentAgainWithTheSameKeyAndCompletesWithTheAnswer() throws Exception {
        ScriptedPublishes transport = new ScriptedPublishes(
                CompletableFuture.failedFuture(new TransportException("connection reset", true)),
                CompletableFuture.completedFuture(STORED));

        CompletableFuture<Long> sent = RetriedPublish.start(transport, "t", new byte[] {1}, "key-1", TIMEOUT, 3,
                PublishResult::sequence, null);

        assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(7L);
        assertThat(transport.keys).containsExactly("key-1", "key-1");
    }

    @Test
    void failuresARetryCannotCureAreNotRetriedAndKeepTheirType() {
        LimitExceededException limit = new LimitExceededException("rate", "rate limited", true);
        assertFailsAfterOneAttemptWith(new PermissionDeniedException("not a member"), PermissionDeniedException.class);
        assertFailsAfterOneAttemptWith(new TransportException("bad request", false), TransportException.class);
        assertFailsAfterOneAttemptWith(limit, LimitExceededException.class);
    }

    @Test
    void givesUpAfterItsAttemptsWithTheLastFailure() {
        TransportException last = new TransportException("third reset", true);
        ScriptedPublishes transport = new ScriptedPublishes(
                CompletableFuture.failedFuture(new TransportException("reset", true)),
                CompletableFuture.failedFuture(new TransportException("second reset", true)),
                CompletableFuture.failedFuture(last),
                CompletableFuture.completedFuture(STORED));

        CompletableFuture<PublishResult> sent = RetriedPublish.start(transport, "t", new byte[0], "k", TIMEOUT, 3,
                Function.identity(), null);

        assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isSameAs(last);
        assertThat(transport.keys).hasSize(3);
    }

    @Test
    void aRetryTheTransportRefusesAtOnceFailsTheResult() {
        ScriptedPublishes transport = new ScriptedPublishes(
                CompletableFuture.failedFuture(new TransportException("reset", true)));
        transport.refuseAfterScript = new IllegalStateException("transport closed");

        CompletableFuture<PublishResult> sent = RetriedPublish.start(transport, "t", new byte[0], "k", TIMEOUT, 3,
                Function.identity(), null);

        assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("transport closed");
    }

    @Test
    void theResultCompletesAfterTheContinuationRanOnItsExecutor() throws Exception {
        CompletableFuture<PublishResult> answer = new CompletableFuture<>();
        ScriptedPublishes transport = new ScriptedPublishes(answer);
        List<String> ranOn = new ArrayList<>();

        CompletableFuture<Long> sent = RetriedPublish.start(transport, "t", new byte[0], "k", TIMEOUT, 3, stored -> {
            ranOn.add(Thread.currentThread().getName());
            return stored.sequence();
        }, continuation);
        answer.complete(STORED);

        assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(7L);
        assertThat(ranOn).containsExactly("continuation");
    }

    @Test
    void aFailingContinuationFailsTheResult() {
        ScriptedPublishes transport = new ScriptedPublishes(CompletableFuture.completedFuture(STORED));
        IllegalStateException broken = new IllegalStateException("store closed");

        CompletableFuture<Object> sent = RetriedPublish.start(transport, "t", new byte[0], "k", TIMEOUT, 3, stored -> {
            throw broken;
        }, null);

        assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).cause().isSameAs(broken);
    }

    @Test
    void anUnansweredAttemptOfATransportWithoutTimeoutsTimesOutAndIsRetried() throws Exception {
        ScriptedPublishes transport = new ScriptedPublishes(new CompletableFuture<>(), // never answered
                CompletableFuture.completedFuture(STORED));

        CompletableFuture<PublishResult> sent = RetriedPublish.start(transport, "t", new byte[0], "k",
                Duration.ofMillis(50), 3, Function.identity(), null);

        assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(STORED);
        assertThat(transport.keys).containsExactly("k", "k");
    }

    private void assertFailsAfterOneAttemptWith(Exception failure, Class<? extends Exception> type) {
        ScriptedPublishes transport = new ScriptedPublishes(CompletableFuture.failedFuture(failure),
                CompletableFuture.completedFuture(STORED));

        CompletableFuture<PublishResult> sent = RetriedPublish.start(transport, "t", new byte[0], "k", TIMEOUT, 3,
                Function.identity(), null);

        assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(type).isSameAs(failure);
        assertThat(transport.keys).hasSize(1);
    }

    /** Answers publishes with the futures it was given, in order; records each key. */
    private static final class ScriptedPublishes extends UnsupportedTransport {
        private final ArrayDeque<CompletableFuture<PublishResult>> answers;
        final List<String> keys = new ArrayList<>();
        RuntimeException refuseAfterScript;

        @SafeVarargs
        ScriptedPublishes(CompletableFuture<PublishResult>... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public synchronized CompletableFuture<PublishResult> publish(String topic, byte[] payload, String key) {
            if (answers.isEmpty() && refuseAfterScript != null) {
                throw refuseAfterScript;
            }
            keys.add(key);
            return answers.remove();
        }
    }
}
