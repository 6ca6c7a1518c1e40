package dev.parley.core;

import dev.parley.StreamFailedException;
import dev.parley.StreamOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/** Records every callback of a stream, in order, and checks they never overlap. */
final class Recorder<T> {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<T> values = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    private final Function<T, String> label;

    Recorder(Function<T, String> label) {
        this.label = label;
    }

    /** Options with every callback recording into this recorder. */
    StreamOptions.Builder<T> options() {
        return StreamOptions.<T>builder()
                .onValue(v -> record(() -> {
                    values.add(v);
                    events.add("value:" + label.apply(v));
                }))
                .onError(e -> record(() -> events.add(e instanceof StreamFailedException ? "failed" : "error")))
                .onRetry((attempt, max) -> record(() -> events.add("retry:" + attempt + "/" + max)))
                .onRestart(() -> record(() -> events.add("restart")))
                .onFail(() -> record(() -> events.add("fail")))
                .onEnd(() -> record(() -> events.add("end")));
    }

    private void record(Runnable r) {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            r.run();
        } finally {
            concurrent.decrementAndGet();
        }
    }

    void awaitValues(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> values.size() >= count);
    }

    void awaitEvent(String event) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.contains(event));
    }

    /** Events other than values, in order. */
    List<String> lifecycle() {
        List<String> out = new ArrayList<>();
        for (String e : events) {
            if (!e.startsWith("value:")) {
                out.add(e);
            }
        }
        return out;
    }
}
