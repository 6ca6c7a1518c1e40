package dev.parley.core.store.sqlite;

/**
 * One message as the {@code messages} table holds it, waiting for its commit.
 *
 * @param id          the message id; null when it is the one its conversation and sequence give
 *                    ({@code EnvelopeProcessor.messageId}), which the row then leaves out
 * @param contentType the stored name of the content type
 * @param content     the encoded content; null without one
 */
record MessageRow(String conversationId, long generation, long sequence, String id, String senderInboxId,
                  long sentAtNs, String contentType, byte[] content, String fallback) {

    /**
     * Whether the two rows share the columns a multi-row INSERT binds once ({@link MessageRows}), and
     * both have a fallback text or neither has, and both leave their id out or neither does.
     */
    boolean sharesStatementWith(MessageRow other) {
        return generation == other.generation && conversationId.equals(other.conversationId)
                && contentType.equals(other.contentType) && (fallback == null) == (other.fallback == null)
                && (id == null) == (other.id == null);
    }
}
