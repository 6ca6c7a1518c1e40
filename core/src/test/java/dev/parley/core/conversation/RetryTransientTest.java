package dev.parley.core.conversation;

import dev.parley.LimitExceededException;
import dev.parley.TransportException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which failures of a write are sent again at once (same idempotency key), and which reach the caller. */
class RetryTransientTest {
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void aRetryableConnectionFailureIsSentAgain() {
        assertThatThrownBy(() -> ClientState.retryTransient(() -> fail(new TransportException("reset", true))))
                .isInstanceOf(TransportException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aRateLimitReachesTheCallerAtOnceRetryingRightAwayCannotHelp() {
        LimitExceededException rate = new LimitExceededException(LimitExceededException.CONVERSATIONS_PER_MINUTE,
                "too fast", true);
        assertThatThrownBy(() -> ClientState.retryTransient(() -> fail(rate))).isSameAs(rate);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aQuotaReachesTheCallerAtOnce() {
        LimitExceededException quota = new LimitExceededException(LimitExceededException.STORED_BYTES_PER_INBOX,
                "full", false);
        assertThatThrownBy(() -> ClientState.retryTransient(() -> fail(quota))).isSameAs(quota);
        assertThat(calls).hasValue(1);
    }

    private Object fail(RuntimeException e) {
        calls.incrementAndGet();
        throw e;
    }
}
