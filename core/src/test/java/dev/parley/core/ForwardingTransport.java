package dev.parley.core;

import dev.parley.spi.GroupChange;
import dev.parley.ConversationType;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionLimits;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A transport that passes everything to the in-process transport; test transports override what they change. */
class ForwardingTransport implements Transport {
    private final Transport inproc;

    /** Connects to the in-process node named by {@code endpoint}'s authority. */
    ForwardingTransport(URI endpoint, TransportConfig config) {
        this.inproc = TransportRegistry.forScheme("inproc")
                .connect(URI.create("inproc://" + endpoint.getAuthority()), config);
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String key) {
        return inproc.publish(topic, payload, key);
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long after, int limit) {
        return inproc.query(topic, after, limit);
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        return inproc.updateGroup(change);
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> members, String name,
                                                        String idempotencyKey) {
        return inproc.createConversation(type, members, name, idempotencyKey);
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long demand,
                                                     SubscriptionListener listener) {
        return inproc.subscribe(cursors, demand, listener);
    }

    @Override
    public SubscriptionLimits subscriptionLimits() {
        return inproc.subscriptionLimits();
    }

    @Override
    public boolean timesOutRequests() {
        return inproc.timesOutRequests();
    }

    @Override
    public void close() {
        inproc.close();
    }
}
