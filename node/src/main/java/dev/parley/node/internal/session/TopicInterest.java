package dev.parley.node.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One subscription's interest in one topic, as the {@link Fanout} holds it. A topic that grows is
 * handed to the subscription once until its drain takes it ({@link #taken}): while it is pending,
 * further appends cost the publisher one volatile read, no lock and no wake-up. The drain takes it
 * before it reads the topic, so an append the pending hand-off did not announce is read anyway.
 */
final class TopicInterest {
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(TopicInterest.class, "pending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NodeSubscription subscription;
    private final String topic;
    @SuppressWarnings("unused") // through PENDING
    private volatile boolean pending;

    TopicInterest(NodeSubscription subscription, String topic) {
        this.subscription = subscription;
        this.topic = topic;
    }

    NodeSubscription subscription() {
        return subscription;
    }

    String topic() {
        return topic;
    }

    /** The topic grew: tells the subscription unless it was told and has not taken the topic yet. */
    void grew() {
        if (!pending && PENDING.compareAndSet(this, false, true)) {
            subscription.topicGrew(this);
        }
    }

    /** The subscription's drain took the topic and reads it next: the next growth tells it again. */
    void taken() {
        pending = false;
    }
}
