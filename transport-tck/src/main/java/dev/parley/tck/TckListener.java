package dev.parley.tck;

import dev.parley.spi.Envelope;
import dev.parley.spi.SubscriptionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Collects what a subscription delivers and checks that its calls never overlap. */
public final class TckListener implements SubscriptionListener {
    public final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final AtomicInteger heartbeats = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    public final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();

    private void enter() {
        if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
    }

    @Override
    public void onEnvelope(Envelope envelope) {
        enter();
        envelopes.add(envelope);
        inside.decrementAndGet();
    }

    @Override
    public void onHeartbeat() {
        enter();
        heartbeats.incrementAndGet();
        inside.decrementAndGet();
    }

    @Override
    public void onError(Throwable error) {
        enter();
        errors.add(error);
        inside.decrementAndGet();
    }

    @Override
    public void onClosed() {
        enter();
        closed.incrementAndGet();
        inside.decrementAndGet();
    }

    public List<String> payloads() {
        return envelopes.stream().map(e -> new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    public List<Long> sequences() {
        return envelopes.stream().map(Envelope::sequence).toList();
    }
}
