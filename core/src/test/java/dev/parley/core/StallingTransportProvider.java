package dev.parley.core;

import com.google.auto.service.AutoService;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;
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
        return new ForwardingTransport(endpoint, config) {
            @Override
            public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long demand,
                                                             SubscriptionListener listener) {
                return super.subscribe(cursors, demand, new SubscriptionListener() {
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
        };
    }
}
