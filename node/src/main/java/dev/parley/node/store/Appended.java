package dev.parley.node.store;

import dev.parley.spi.Envelope;

/** Result of an append: the stored entry, and whether it is new (false when its idempotency key was stored before). */
public record Appended(Envelope envelope, boolean isNew) {
}
