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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code stall://NAME}: the in-process transport to node NAME, except that while {@link #STALLED}
 * is set, subscriptions go silent (no envelopes, no heartbeats, no error), like a connection behind
 * a proxy that stopped forwarding without closing.
 */
@AutoService(TransportProvider.class)
public final class StallingTransportProvider implements TransportProvider {
    static final AtomicBoolean STALLED = new AtomicBoolean();

    @Override
    public String scheme() {
        return "stall";
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
                return inproc.subscribe(cursors, demand, new SubscriptionListener() {
                    @Override
                    public void onEnvelope(Envelope envelope) {
                        if (!STALLED.get()) {
                            listener.onEnvelope(envelope);
                        }
                    }

                    @Override
                    public void onHeartbeat() {
                        if (!STALLED.get()) {
                            listener.onHeartbeat();
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        listener.onError(error);
                    }

                    @Override
                    public void onClosed() {
                        listener.onClosed();
                    }
                });
            }

            @Override
            public void close() {
                inproc.close();
            }
        };
    }
}
