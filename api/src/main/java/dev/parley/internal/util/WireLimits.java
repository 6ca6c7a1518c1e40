package dev.parley.internal.util;

import java.time.Duration;

/** Limits both ends of every transport enforce, so a client learns of a violation before sending. */
public final class WireLimits {
    /** Largest payload of one envelope. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    /**
     * Largest frame (gRPC message, WebSocket message) either side accepts: room for a full payload,
     * or a subscription to 20,000 topics. Every transport's inbound limit is this constant.
     */
    public static final int MAX_FRAME_BYTES = 4 << 20;
    /**
     * Payload bytes the node puts in one frame of envelopes (a query result, an envelope batch);
     * a frame always carries at least one envelope, which fits since its payload is at most
     * {@link #MAX_PAYLOAD_BYTES}. Half the frame leaves room for envelope headers and the largest payload.
     */
    public static final int MAX_ENVELOPE_BYTES_PER_FRAME = MAX_FRAME_BYTES / 2;
    /** Most publishes in one {@code PublishBatch} frame; a node refuses an empty or larger batch as a whole. */
    public static final int MAX_PUBLISHES_PER_BATCH = 1024;
    /**
     * Serialized publishes a client puts in one batch (a batch always takes at least one, which fits
     * since its payload is at most {@link #MAX_PAYLOAD_BYTES}), so a batch stays within {@link #MAX_FRAME_BYTES}.
     */
    public static final int MAX_PUBLISH_BATCH_BYTES = MAX_FRAME_BYTES / 2;

    /** Shortest heartbeat interval; a node raises shorter ones to it. */
    public static final Duration MIN_HEARTBEAT = Duration.ofMillis(10);
    /** Longest heartbeat interval; a node refuses longer ones (a silent link must be noticed within minutes). */
    public static final Duration MAX_HEARTBEAT = Duration.ofMinutes(10);

    private WireLimits() {
    }

    /** For a client's own setting: a positive interval of at most {@link #MAX_HEARTBEAT}, or {@link IllegalArgumentException}. */
    public static Duration requireHeartbeat(Duration interval, String name) {
        Durations.requirePositive(interval, name);
        if (interval.compareTo(MAX_HEARTBEAT) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_HEARTBEAT + " (nodes refuse longer), was "
                    + interval);
        }
        return interval;
    }
}
