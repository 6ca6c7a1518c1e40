package dev.parley.internal;

import dev.parley.TransportException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RequestDeadlinesTest {
    private static final Duration TIMEOUT = Duration.ofMillis(50);

    @Test
    void aFutureNotDoneByTheDeadlineFailsRetryablyAndItsLateValueIsHandedOn() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicReference<String> late = new AtomicReference<>();
        long start = System.nanoTime();

        CompletableFuture<String> bounded = RequestDeadlines.bound(answer, RequestDeadlines.fromNow(TIMEOUT), TIMEOUT,
                late::set);

        Throwable failure = catchThrowable(bounded::join);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
        assertThat(failure).isInstanceOf(CompletionException.class).cause().isInstanceOf(TransportException.class)
                .hasMessageContaining("no answer from the node within");
        assertThat(((TransportException) failure.getCause()).isRetryable()).isTrue();
        answer.complete("too late");
        assertThat(late).hasValue("too late");
    }

    @Test
    void anAnswerInTimeOrAFailureGoesThroughAndADoneFutureGetsNoTimer() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicReference<String> late = new AtomicReference<>();
        CompletableFuture<String> bounded = RequestDeadlines.bound(answer, RequestDeadlines.fromNow(Duration.ofMinutes(1)),
                TIMEOUT, late::set);
        answer.complete("in time");
        assertThat(bounded.join()).isEqualTo("in time");
        assertThat(late).hasValue(null);

        IllegalStateException refused = new IllegalStateException("refused");
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> boundedFailure = RequestDeadlines.bound(failing, RequestDeadlines.fromNow(TIMEOUT), TIMEOUT);
        failing.completeExceptionally(refused);
        assertThat(catchThrowable(boundedFailure::join)).hasCause(refused);

        CompletableFuture<String> done = CompletableFuture.completedFuture("done");
        assertThat(RequestDeadlines.bound(done, System.nanoTime(), TIMEOUT)).isSameAs(done);
    }
}
