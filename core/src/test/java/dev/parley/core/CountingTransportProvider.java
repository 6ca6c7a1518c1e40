package dev.parley.core;

import com.google.auto.service.AutoService;
import dev.parley.ConversationType;
import dev.parley.core.transport.TransportRegistry;
import dev.parley.spi.Envelope;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/** {@code count://NAME}: the in-process transport to node NAME, recording every query ({@link #QUERIES}). */
@AutoService(TransportProvider.class)
public final class CountingTransportProvider implements TransportProvider {
    /** A query: which topic, after which sequence. */
    record Query(String topic, long after) {
    }

    static final ConcurrentLinkedQueue<Query> QUERIES = new ConcurrentLinkedQueue<>();

    @Override
    public String scheme() {
        return "count";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        Transport inproc = TransportRegistry.forScheme("inproc")
                .connect(URI.create("inproc://" + endpoint.getAuthority()), config);
        return new Transport() {
            @Override
            public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String key) {
                return inproc.publish(topic, payload, key);
            }

            @Override
            public CompletableFuture<List<Envelope>> query(String topic, long after, int limit) {
                QUERIES.add(new Query(topic, after));
                return inproc.query(topic, after, limit);
            }

            @Override
            public CompletableFuture<String> createConversation(ConversationType type, List<String> members,
                                                                String name) {
                return inproc.createConversation(type, members, name);
            }

            @Override
            public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long demand,
                                                             SubscriptionListener listener) {
                return inproc.subscribe(cursors, demand, listener);
            }

            @Override
            public void close() {
                inproc.close();
            }
        };
    }
}
