package dev.parley.spi;

/**
 * One entry of a topic's log, as the node stores and delivers it.
 *
 * @param topic          the topic: {@code welcome/<inboxId>}, {@code conv/<conversationId>} or {@code prefs/<inboxId>}
 * @param sequence       node-assigned, per topic, strictly increasing from 1
 * @param timestampNs    node clock at publish, nanoseconds since the epoch
 * @param payload        protobuf payload (see module {@code protocol})
 * @param idempotencyKey the publisher's key; publishing the same key again returns this envelope's sequence
 * @param senderInboxId  the authenticated inbox that published it ({@code "node"} for node-written welcomes)
 */
public record Envelope(String topic, long sequence, long timestampNs, byte[] payload, String idempotencyKey,
                       String senderInboxId) {
}
