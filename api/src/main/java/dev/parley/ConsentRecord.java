package dev.parley;

/**
 * A consent decision of this inbox about one conversation, as synced across its installations.
 *
 * @param conversationId the conversation
 * @param state          the new state
 * @param updatedAtNs    node time the decision was recorded
 */
public record ConsentRecord(String conversationId, ConsentState state, long updatedAtNs) {
}
