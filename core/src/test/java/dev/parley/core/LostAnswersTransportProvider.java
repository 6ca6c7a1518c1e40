package dev.parley.core;

import com.google.auto.service.AutoService;
import dev.parley.TransportException;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Transport;
import dev.parley.spi.TransportConfig;
import dev.parley.spi.TransportProvider;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code lostanswer://NAME}: the in-process transport to node NAME, except that the node's answer to the first
 * publish of each idempotency key is lost after the node stored it (a retryable {@link TransportException}, as a
 * connection reset between the node's write and its answer), so only a retry with the same key learns where the
 * message went. {@link #ATTEMPTS} counts the publishes of each key.
 */
@AutoService(TransportProvider.class)
public final class LostAnswersTransportProvider implements TransportProvider {
    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    @Override
    public String scheme() {
        return "lostanswer";
    }

    @Override
    public Transport connect(URI endpoint, TransportConfig config) {
        return new ForwardingTransport(endpoint, config) {
            @Override
            public CompletableFuture<PublishResult> publish(String topic, byte[] payload, String key) {
                int attempt = ATTEMPTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                CompletableFuture<PublishResult> answer = super.publish(topic, payload, key);
                return attempt > 1 ? answer : answer.thenCompose(stored -> CompletableFuture.failedFuture(
                        new TransportException("connection reset before the node's answer", true)));
            }
        };
    }
}
