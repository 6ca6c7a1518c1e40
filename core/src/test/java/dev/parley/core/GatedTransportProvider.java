package dev.parley.core;

import com.google.auto.service.AutoService;
import dev.parley.TransportException;
import dev.parley.spi.Envelope;
import dev.parley.spi.Subscription;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code gate://NAME}: the in-process transport to node NAME behind a gate a test works ({@link #GATE}):
 * {@link Gate#cut()} breaks every subscription as a dropped connection would and holds the queries and
 * subscribes that follow until {@link Gate#open()}, so a test changes the node's state during the gap and
 * sees what a restart asks for, and in which order, before anything is answered.
 */
@AutoService(TransportProvider.class)
public final class GatedTransportProvider implements TransportProvider {
    static final Gate GATE = new Gate();

    @Override
    public String scheme() {
        return "gate";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        return new ForwardingTransport(endpoint, config) {
            @Override
            public CompletableFuture<List<Envelope>> query(String topic, long after, int limit) {
                return GATE.pass("query " + topic, () -> super.query(topic, after, limit));
            }

            @Override
            public CompletableFuture<Subscription> subscribe(Map<String, Long> cursors, long demand,
                                                             SubscriptionListener listener) {
                GATE.opened(listener);
                return GATE.pass("subscribe", () -> super.subscribe(cursors, demand, listener));
            }
        };
    }

    /** The gate; calls are recorded from the last {@link #cut()} on. */
    static final class Gate {
        private final List<Runnable> held = new ArrayList<>();
        private final List<SubscriptionListener> listeners = new ArrayList<>();
        private final List<String> calls = new ArrayList<>();
        private boolean closed;

        synchronized void opened(SubscriptionListener listener) {
            listeners.add(listener);
        }

        /** Breaks every subscription opened so far and holds what follows. */
        void cut() {
            List<SubscriptionListener> broken;
            synchronized (this) {
                closed = true;
                calls.clear();
                broken = List.copyOf(listeners);
                listeners.clear();
            }
            broken.forEach(listener -> listener.onError(new TransportException("connection cut by the test", true)));
        }

        /** Lets the held calls through, in the order they came, and what follows. */
        void open() {
            List<Runnable> release;
            synchronized (this) {
                closed = false;
                release = List.copyOf(held);
                held.clear();
            }
            release.forEach(Runnable::run);
        }

        /** The calls since the last cut ("query TOPIC", "subscribe"), in order. */
        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        void reset() {
            open();
            synchronized (this) {
                calls.clear();
                listeners.clear();
            }
        }

        private <T> CompletableFuture<T> pass(String call, Supplier<CompletableFuture<T>> forward) {
            synchronized (this) {
                calls.add(call);
                if (closed) {
                    CompletableFuture<T> answer = new CompletableFuture<>();
                    held.add(() -> forward.get().whenComplete((value, error) -> {
                        if (error != null) {
                            answer.completeExceptionally(error);
                        } else {
                            answer.complete(value);
                        }
                    }));
                    return answer;
                }
            }
            return forward.get();
        }
    }
}
