package dev.parley.core;

import com.google.auto.service.AutoService;
import dev.parley.spi.Envelope;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;
import java.util.List;
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
        return new ForwardingTransport(endpoint, config) {
            @Override
            public CompletableFuture<List<Envelope>> query(String topic, long after, int limit) {
                QUERIES.add(new Query(topic, after));
                return super.query(topic, after, limit);
            }
        };
    }
}
