package dev.parley.cli;

import dev.parley.node.metrics.NodeMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsLineTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong();
    // gauges hold their state weakly: the test keeps it
    private final AtomicInteger grpcConnections = registry.gauge(NodeMeters.CONNECTIONS,
            Tags.of(NodeMeters.TRANSPORT, "grpc"), new AtomicInteger(2));
    private final AtomicInteger wsConnections = registry.gauge(NodeMeters.CONNECTIONS,
            Tags.of(NodeMeters.TRANSPORT, "ws"), new AtomicInteger(0));
    private final AtomicInteger subscriptions = registry.gauge(NodeMeters.SUBSCRIPTIONS, new AtomicInteger(3));

    @Test
    void sumsOverTransportsAndGivesThePublishRateSinceTheLastLine() {
        MetricsLine line = new MetricsLine(registry, now::get);
        registry.counter(NodeMeters.PUBLISHES, NodeMeters.TRANSPORT, "grpc").increment(10);
        registry.counter(NodeMeters.REFUSED, "reason", "permission").increment();
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));

        assertThat(line.next()).isEqualTo("metrics: connections=2 {grpc=2} subscriptions=3 publishes=10 (5.0/s)"
                + " duplicates=0 resumed=0 refused=1 {permission=1} delivery-lag - store-append - store-read -");

        wsConnections.set(1);
        registry.counter(NodeMeters.PUBLISHES, NodeMeters.TRANSPORT, "ws").increment(4);
        Timer.builder(NodeMeters.DELIVERY_LAG).publishPercentiles(0.5).register(registry).record(3, TimeUnit.MILLISECONDS);
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));

        assertThat(line.next()).startsWith("metrics: connections=3 {grpc=2, ws=1} subscriptions=3 publishes=14 (1.0/s)")
                .containsPattern("delivery-lag p50=\\d\\.\\d\\dms store-append -");
    }
}
