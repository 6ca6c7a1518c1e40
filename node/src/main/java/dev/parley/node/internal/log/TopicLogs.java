package dev.parley.node.internal.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** All topic logs of a node, created on first use. */
public final class TopicLogs {
    private final ConcurrentMap<String, TopicLog> logs = new ConcurrentHashMap<>();

    public TopicLog get(String topic) {
        return logs.computeIfAbsent(topic, TopicLog::new);
    }

    /** The last sequence of a topic without creating its log. */
    public long lastSequence(String topic) {
        TopicLog log = logs.get(topic);
        return log == null ? 0 : log.lastSequence();
    }
}
