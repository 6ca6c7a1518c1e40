package dev.parley.node.store;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How much of each topic a node keeps: entries younger than {@code maxAge} and at most the newest
 * {@code maxPerTopic}; either may be absent (no limit). {@link #KEEP_ALL} keeps everything.
 */
public record Retention(Optional<Duration> maxAge, OptionalLong maxPerTopic) {
    public static final Retention KEEP_ALL = new Retention(Optional.empty(), OptionalLong.empty());

    public Retention {
        maxAge.ifPresent(age -> {
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("retention age must be positive, was " + age);
            }
        });
        if (maxPerTopic.isPresent() && maxPerTopic.getAsLong() < 1) {
            throw new IllegalArgumentException("retention count must be at least 1, was " + maxPerTopic.getAsLong());
        }
    }

    /** This retention, also dropping entries older than {@code age}. */
    public Retention withMaxAge(Duration age) {
        return new Retention(Optional.of(age), maxPerTopic);
    }

    /** This retention, also keeping at most the newest {@code count} entries of each topic. */
    public Retention withMaxPerTopic(long count) {
        return new Retention(maxAge, OptionalLong.of(count));
    }

    public boolean keepsAll() {
        return maxAge.isEmpty() && maxPerTopic.isEmpty();
    }
}
