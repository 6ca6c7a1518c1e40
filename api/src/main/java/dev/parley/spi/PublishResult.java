package dev.parley.spi;

/** Where a publish landed: the envelope's sequence in its topic and its node timestamp. */
public record PublishResult(long sequence, long timestampNs) {
}
