package dev.parley.node.internal.access;

import dev.parley.ProtocolException;

import java.util.regex.Pattern;

/** The form of an inbox id a client names (64 lowercase hex digits). */
public final class InboxIds {
    private static final Pattern INBOX_ID = Pattern.compile("[0-9a-f]{64}");

    private InboxIds() {
    }

    /** The start of {@code inboxId}, for messages. */
    public static String shorten(String inboxId) {
        return inboxId.length() > 12 ? inboxId.substring(0, 12) + "…" : inboxId;
    }

    /** @throws ProtocolException {@code inboxId} is null or not an inbox id */
    public static String requireWellFormed(String inboxId) {
        if (inboxId == null || !INBOX_ID.matcher(inboxId).matches()) {
            throw new ProtocolException("malformed inbox id '" + inboxId + "'");
        }
        return inboxId;
    }
}
