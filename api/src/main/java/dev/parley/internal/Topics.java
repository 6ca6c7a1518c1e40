package dev.parley.internal;

import dev.parley.ProtocolException;
import dev.parley.spi.Subscription;

/** The topic names of the wire model and how to take them apart. */
public final class Topics {
    public static final String WELCOME = "welcome/";
    public static final String CONVERSATION = "conv/";
    public static final String PREFERENCES = "prefs/";
    /** Cursor value meaning "from the newest entry on"; see {@link Subscription#LATEST}. */
    public static final long LATEST = Subscription.LATEST;

    private Topics() {
    }

    public static String welcome(String inboxId) {
        return WELCOME + inboxId;
    }

    public static String conversation(String conversationId) {
        return CONVERSATION + conversationId;
    }

    public static String preferences(String inboxId) {
        return PREFERENCES + inboxId;
    }

    /** The kind prefix of a topic ({@link #WELCOME}, {@link #CONVERSATION} or {@link #PREFERENCES}). */
    public static String kind(String topic) {
        String kind = kindOrNull(topic);
        if (kind == null) {
            throw new ProtocolException("unknown topic '" + topic + "': expected welcome/<inboxId>, conv/<id> or prefs/<inboxId>");
        }
        return kind;
    }

    /** The inbox or conversation id that follows the kind prefix. */
    public static String subject(String topic) {
        return topic.substring(kind(topic).length());
    }

    // on every envelope a client handles, so no allocation: a prefix, a non-empty subject without '/'
    private static String kindOrNull(String topic) {
        if (topic == null || topic.length() > 256) {
            return null;
        }
        String kind = topic.startsWith(CONVERSATION) ? CONVERSATION
                : topic.startsWith(WELCOME) ? WELCOME
                : topic.startsWith(PREFERENCES) ? PREFERENCES : null;
        return kind != null && topic.length() > kind.length() && topic.indexOf('/', kind.length()) < 0 ? kind : null;
    }
}
