package dev.parley.node.store.postgresql;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a node tells the others with {@code NOTIFY} when its transaction commits: an entry was appended
 * ({@code a:<origin>:<sequence>:<topic>}) or a conversation changed ({@code c:<origin>:<id>}). {@code origin}
 * names the store that wrote it, so a store ignores its own hints (it reported its commits itself).
 * Payloads stay under PostgreSQL's 8000 bytes; a longer one is not sent (the reconcile finds the entry).
 */
record Hint(char kind, String origin, long sequence, String subject) {
    static final char APPENDED = 'a';
    static final char CONVERSATION_CHANGED = 'c';
    /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7_999;

    static String appended(String origin, long sequence, String topic) {
        return APPENDED + ":" + origin + ":" + sequence + ":" + topic;
    }

    static String conversationChanged(String origin, String conversationId) {
        return CONVERSATION_CHANGED + ":" + origin + ":" + conversationId;
    }

    static boolean fits(String payload) {
        return payload.length() * 3 <= MAX_PAYLOAD_BYTES || payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES;
    }

    /** The hint in {@code payload}; empty for anything else (another version's, or foreign). */
    static Optional<Hint> parse(String payload) {
        if (payload == null || payload.length() < 4 || payload.charAt(1) != ':') {
            return Optional.empty();
        }
        char kind = payload.charAt(0);
        int originEnd = payload.indexOf(':', 2);
        if (originEnd < 0) {
            return Optional.empty();
        }
        String origin = payload.substring(2, originEnd);
        String rest = payload.substring(originEnd + 1);
        if (kind == CONVERSATION_CHANGED) {
            return Optional.of(new Hint(kind, origin, 0, rest));
        }
        int seqEnd = rest.indexOf(':');
        if (kind != APPENDED || seqEnd < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Hint(kind, origin, Long.parseLong(rest.substring(0, seqEnd)), rest.substring(seqEnd + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
