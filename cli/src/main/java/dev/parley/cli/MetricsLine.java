package dev.parley.cli;

import dev.parley.node.metrics.NodeMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One line of a node's figures for {@code parley node --metrics-interval}, from its meter registry
 * ({@link NodeMeters}); publishes per second are over the time since the previous line.
 */
final class MetricsLine {
    private final MeterRegistry registry;
    private final LongSupplier nanoTime;
    private double lastPublishes;
    private long lastAt;

    MetricsLine(MeterRegistry registry, LongSupplier nanoTime) {
        this.registry = registry;
        this.nanoTime = nanoTime;
        this.lastAt = nanoTime.getAsLong();
    }

    /** The figures now, e.g. {@code metrics: connections=2 (grpc=2) subscriptions=2 publishes=10 (5.0/s) ...}. */
    synchronized String next() {
        TreeMap<String, Integer> connections = new TreeMap<>();
        registry.find(NodeMeters.CONNECTIONS).gauges().forEach(g -> connections.merge(g.getId().getTag(NodeMeters.TRANSPORT),
                (int) g.value(), Integer::sum));
        connections.values().removeIf(n -> n == 0);
        double publishes = sum(NodeMeters.PUBLISHES);
        long now = nanoTime.getAsLong();
        double seconds = Math.max(1e-9, (now - lastAt) / 1e9);
        double rate = (publishes - lastPublishes) / seconds;
        lastPublishes = publishes;
        lastAt = now;
        TreeMap<String, Integer> refused = new TreeMap<>();
        registry.find(NodeMeters.REFUSED).counters().forEach(c -> refused.put(c.getId().getTag("reason"), (int) c.count()));
        return String.format(Locale.ROOT, "metrics: connections=%d%s subscriptions=%d publishes=%d (%.1f/s) duplicates=%d"
                        + " resumed=%d refused=%d%s delivery-lag %s store-append %s store-read %s",
                connections.values().stream().mapToInt(Integer::intValue).sum(), connections.isEmpty() ? "" : " " + connections,
                (int) gauge(NodeMeters.SUBSCRIPTIONS), (long) publishes, rate, (long) sum(NodeMeters.PUBLISHES_DUPLICATE),
                (long) sum(NodeMeters.SUBSCRIPTIONS_RESUMED), refused.values().stream().mapToInt(Integer::intValue).sum(),
                refused.isEmpty() ? "" : " " + refused, percentiles(registry.find(NodeMeters.DELIVERY_LAG).timer()),
                percentiles(registry.find(NodeMeters.STORE_LATENCY).tag("operation", "append").timer()),
                percentiles(registry.find(NodeMeters.STORE_LATENCY).tag("operation", "read").timer()));
    }

    private double sum(String counter) {
        return registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    private double gauge(String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** {@code p50=1.2ms p99=3.4ms}, or {@code -} before the first sample. */
    private static String percentiles(Timer timer) {
        if (timer == null || timer.count() == 0) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(String.format(Locale.ROOT, "p%d=%.2fms", Math.round(p.percentile() * 100), p.value(TimeUnit.MILLISECONDS)));
        }
        return out.toString();
    }
}
