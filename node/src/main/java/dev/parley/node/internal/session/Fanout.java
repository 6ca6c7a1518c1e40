package dev.parley.node.internal.session;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which live subscriptions listen to which topic; tells them when their topics grow. Every append
 * asks, and subscriptions come and go rarely: each topic's interests are an array replaced whole on
 * a change, so telling them is a map read and a loop (no iterator, no lambda per append), and a
 * subscription already told costs a volatile read ({@link TopicInterest}).
 */
public final class Fanout {
    private static final TopicInterest[] NONE = new TopicInterest[0];

    private final ConcurrentMap<String, TopicInterest[]> byTopic = new ConcurrentHashMap<>();

    void register(String topic, NodeSubscription subscription) {
        byTopic.compute(topic, (t, interests) -> {
            TopicInterest[] current = interests == null ? NONE : interests;
            if (Arrays.stream(current).anyMatch(i -> i.subscription() == subscription)) {
                return current;
            }
            TopicInterest[] more = Arrays.copyOf(current, current.length + 1);
            more[current.length] = new TopicInterest(subscription, topic);
            return more;
        });
    }

    void unregister(String topic, NodeSubscription subscription) {
        byTopic.computeIfPresent(topic, (t, interests) -> {
            TopicInterest[] fewer = Arrays.stream(interests).filter(i -> i.subscription() != subscription)
                    .toArray(TopicInterest[]::new);
            return fewer.length == 0 ? null : fewer;
        });
    }

    /** Called after an append to {@code topic}. */
    public void appended(String topic) {
        TopicInterest[] interests = byTopic.get(topic);
        if (interests != null) {
            for (TopicInterest interest : interests) {
                interest.grew();
            }
        }
    }
}
