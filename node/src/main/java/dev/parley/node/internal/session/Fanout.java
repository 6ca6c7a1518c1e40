package dev.parley.node.internal.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Which live subscriptions listen to which topic; tells them when their topics grow. */
public final class Fanout {
    private final ConcurrentMap<String, Set<NodeSubscription>> byTopic = new ConcurrentHashMap<>();

    void register(String topic, NodeSubscription subscription) {
        byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(subscription);
    }

    void unregister(String topic, NodeSubscription subscription) {
        byTopic.computeIfPresent(topic, (t, subs) -> {
            subs.remove(subscription);
            return subs.isEmpty() ? null : subs;
        });
    }

    /** Called after an append to {@code topic}. */
    public void appended(String topic) {
        Set<NodeSubscription> subs = byTopic.get(topic);
        if (subs != null) {
            subs.forEach(s -> s.topicGrew(topic));
        }
    }
}
