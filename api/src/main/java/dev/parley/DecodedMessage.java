package dev.parley;

/**
 * A message as the application sees it.
 *
 * @param id             unique id of the message
 * @param conversationId conversation it belongs to
 * @param senderInboxId  inbox that sent it, as authenticated by the node (own messages are streamed back too)
 * @param sentAtNs       node time of arrival, nanoseconds since the epoch
 * @param contentType    how {@code content} was encoded
 * @param content        the decoded content ({@code String} for text), or {@code null} when no codec knows the type
 * @param fallback       readable alternative for clients without the codec, may be {@code null}
 */
public record DecodedMessage(String id, String conversationId, String senderInboxId, long sentAtNs,
                             ContentTypeId contentType, Object content, String fallback) {
}
