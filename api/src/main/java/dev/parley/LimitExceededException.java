package dev.parley;

import java.util.Objects;

/**
 * The node refused a request because it would exceed one of its limits (e.g. sessions per inbox,
 * bytes stored per inbox, conversations created per minute). {@link #limit()} names the limit as
 * the node's configuration does ({@code maxSessionsPerInbox}, ...). {@link #isRetryable()} says
 * whether the same request may succeed later without anything else changing: true for rate limits
 * (wait, then retry with back-off), false for quotas (free something first, e.g. end sessions or
 * subscriptions, or wait for retention).
 * <pre>{@code
 * try {
 *     conversations.newGroup(members);
 * } catch (LimitExceededException e) {
 *     if (e.isRetryable()) { ... try again later ... }
 * }
 * }</pre>
 */
public class LimitExceededException extends TransportException {
    /** Open sessions (connections) of one inbox; a quota. */
    public static final String SESSIONS_PER_INBOX = "maxSessionsPerInbox";
    /** Open subscriptions of one session; a quota. */
    public static final String SUBSCRIPTIONS_PER_SESSION = "maxSubscriptionsPerSession";
    /** Conversations one inbox may create per minute; a rate limit. */
    public static final String CONVERSATIONS_PER_MINUTE = "conversationsPerInboxPerMinute";
    /** Payload bytes one inbox may have stored on the node until retention frees them; a quota. */
    public static final String STORED_BYTES_PER_INBOX = "maxStoredBytesPerInbox";

    private final String limit;

    public LimitExceededException(String limit, String message, boolean retryable) {
        super(message, retryable);
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /** The name of the limit that was hit, as in the node's configuration (e.g. {@code maxSessionsPerInbox}). */
    public String limit() {
        return limit;
    }
}
