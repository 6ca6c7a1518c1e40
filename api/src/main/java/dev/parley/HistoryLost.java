package dev.parley;

/**
 * Messages a stream will never deliver, said rather than hidden.
 *
 * @param conversationId the conversation they belonged to; for the inbox's own logs of new
 *                       conversations and consent decisions, that log's topic ({@code welcome/<inboxId>},
 *                       {@code prefs/<inboxId>})
 * @param fromSequence   the first lost sequence
 * @param toSequence     the last lost sequence; for {@link Reason#NODE_RESET} unknown, {@link Long#MAX_VALUE}
 * @param reason         why they are gone
 */
public record HistoryLost(String conversationId, long fromSequence, long toSequence, Reason reason) {
    /** Why history is lost. */
    public enum Reason {
        /** The node no longer keeps messages that old (its retention by age or count). */
        RETENTION,
        /** The node's log was wiped (a new, empty store: its epoch changed); sequences start again at 1. */
        NODE_RESET
    }
}
