package dev.parley.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A publisher (bare transport, at most {@value Bench#WINDOW} in flight) sending {@code rate}
 * {@code payloadBytes}-byte messages a second into conversation 0 for {@code seconds} (catching up
 * when behind; {@code rate} 0: as fast as the window allows), while the used heap after GC is read at
 * the start, every {@code seconds / 6} seconds (at least 1) and at the end.
 */
final class PacedRun {
    /** Used heap after GC before publishing, bytes. */
    final long startHeap;
    /** Used heap after GC at the first sample (the client's caches warm), bytes; the end when there was none. */
    final long firstSampleHeap;
    /** Highest used heap after GC during and at the end of the run, bytes. */
    final long maxHeap;
    /** Used heap after GC once every publish was answered, bytes. */
    final long endHeap;
    /** Messages published and acknowledged by the node. */
    final long published;

    private PacedRun(long startHeap, long firstSampleHeap, long maxHeap, long endHeap, long published) {
        this.startHeap = startHeap;
        this.firstSampleHeap = firstSampleHeap;
        this.maxHeap = maxHeap;
        this.endHeap = endHeap;
        this.published = published;
    }

    static PacedRun run(PublisherAndSubscriber set, int payloadBytes, int rate, int seconds) throws Exception {
        long start = Bench.usedHeapAfterGc();
        long max = start;
        long first = -1;
        AtomicLong published = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(Bench.WINDOW);
        Thread sender = new Thread(() -> publish(set, payloadBytes, rate, seconds, inFlight, published, failure),
                "bench-publisher");
        sender.start();
        long sampleMillis = TimeUnit.SECONDS.toMillis(Math.max(1, seconds / 6));
        sender.join(sampleMillis);
        while (sender.isAlive()) {
            long sample = Bench.usedHeapAfterGc();
            first = first < 0 ? sample : first;
            max = Math.max(max, sample);
            sender.join(sampleMillis);
        }
        inFlight.acquire(Bench.WINDOW); // every publish answered
        if (failure.get() != null) {
            throw new IllegalStateException("publishing failed", failure.get());
        }
        long end = Bench.usedHeapAfterGc();
        return new PacedRun(start, first < 0 ? end : first, Math.max(max, end), end, published.get());
    }

    private static void publish(PublisherAndSubscriber set, int payloadBytes, int rate, int seconds,
                                Semaphore inFlight, AtomicLong published, AtomicReference<Throwable> failure) {
        String topic = set.topic(0);
        byte[] payload = Bench.textPayload(payloadBytes);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long count = rate > 0 ? (long) rate * seconds : Long.MAX_VALUE;
        try {
            for (long key = 0; key < count && failure.get() == null; key++) {
                if (rate > 0) {
                    long wait = start + key * 1_000_000_000L / rate - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                } else if (System.nanoTime() >= end) {
                    return;
                }
                inFlight.acquire();
                set.publisher.publish(topic, payload, "k" + key).whenComplete((r, e) -> {
                    if (e == null) {
                        published.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, e);
                    }
                    inFlight.release();
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
