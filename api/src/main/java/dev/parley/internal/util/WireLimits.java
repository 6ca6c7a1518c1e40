package dev.parley.internal.util;

/** Limits both ends of every transport enforce, so a client learns of a violation before sending. */
public final class WireLimits {
    /** Largest payload of one envelope. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;

    private WireLimits() {
    }
}
