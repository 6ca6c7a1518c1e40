package dev.parley.node.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Which live subscriptions listen to which topic; tells them when their topics grow. */
public final class Fanout {
    private final ConcurrentMap<String, Set<LiveSubscription>> byTopic = new ConcurrentHashMap<>();

    void register(String topic, LiveSubscription subscription) {
        byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(subscription);
    }

    void unregister(String topic, LiveSubscription subscription) {
        byTopic.computeIfPresent(topic, (t, subs) -> {
            subs.remove(subscription);
            return subs.isEmpty() ? null : subs;
        });
    }

    /** Called after an append to {@code topic}. */
    public void appended(String topic) {
        Set<LiveSubscription> subs = byTopic.get(topic);
        if (subs != null) {
            subs.forEach(s -> s.topicGrew(topic));
        }
    }
}
