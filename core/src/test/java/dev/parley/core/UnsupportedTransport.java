package dev.parley.core;

import dev.parley.ConversationType;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A transport that supports nothing; a unit test's fake overrides the requests its class makes. */
public abstract class UnsupportedTransport implements Transport {
    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String idempotencyKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<PublishResult> updateGroup(GroupChange change) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<String> createConversation(ConversationType type, List<String> members, String name,
                                                        String idempotencyKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long initialDemand,
                                                     SubscriptionListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
