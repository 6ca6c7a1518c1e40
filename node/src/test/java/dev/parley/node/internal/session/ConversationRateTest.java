package dev.parley.node.internal.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket of conversation creation, on a clock moved by hand. */
class ConversationRateTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ConversationRate rate = new ConversationRate(60, now::get);

    private void forward(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void aMinutesWorthIsAllowedAtOnceThenOneAsEachTokenRefills() {
        for (int i = 0; i < 60; i++) {
            assertThat(rate.tryAcquire("alice")).as("creation %d", i + 1).isTrue();
        }
        assertThat(rate.tryAcquire("alice")).isFalse();
        forward(Duration.ofMillis(999));
        assertThat(rate.tryAcquire("alice")).as("60 a minute: one token a second").isFalse();
        forward(Duration.ofMillis(1));
        assertThat(rate.tryAcquire("alice")).isTrue();
        assertThat(rate.tryAcquire("alice")).isFalse();
        forward(Duration.ofSeconds(3));
        assertThat(rate.tryAcquire("alice")).isTrue();
        assertThat(rate.tryAcquire("alice")).isTrue();
        assertThat(rate.tryAcquire("alice")).isTrue();
        assertThat(rate.tryAcquire("alice")).isFalse();
    }

    @Test
    void eachInboxHasItsOwnBucket() {
        for (int i = 0; i < 60; i++) {
            rate.tryAcquire("alice");
        }
        assertThat(rate.tryAcquire("alice")).isFalse();
        assertThat(rate.tryAcquire("bob")).isTrue();
    }

    @Test
    void aBucketNeverHoldsMoreThanAMinutesWorth() {
        forward(Duration.ofHours(5));
        int allowed = 0;
        while (rate.tryAcquire("alice")) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(60);
    }

    @Test
    void bucketsOfIdleInboxesGoAway() {
        for (int i = 0; i < 1_000; i++) {
            rate.tryAcquire("inbox-" + i);
        }
        assertThat(rate.buckets()).isEqualTo(1_000);
        forward(Duration.ofMinutes(1));
        for (int i = 0; i < 60; i++) {
            rate.tryAcquire("busy");
        }
        assertThat(rate.buckets()).as("only the busy inbox is left").isEqualTo(1);
        assertThat(rate.tryAcquire("busy")).as("its bucket kept its state").isFalse();
    }
}
