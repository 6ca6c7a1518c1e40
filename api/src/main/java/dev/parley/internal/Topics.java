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
        return split(topic)[0];
    }

    /** The inbox or conversation id that follows the kind prefix. */
    public static String subject(String topic) {
        return split(topic)[1];
    }

    private static String[] split(String topic) {
        if (topic != null) {
            for (String kind : new String[] {WELCOME, CONVERSATION, PREFERENCES}) {
                if (topic.startsWith(kind) && topic.length() > kind.length()
                        && topic.indexOf('/', kind.length()) < 0 && topic.length() <= 256) {
                    return new String[] {kind, topic.substring(kind.length())};
                }
            }
        }
        throw new ProtocolException("unknown topic '" + topic + "': expected welcome/<inboxId>, conv/<id> or prefs/<inboxId>");
    }
}
