package dev.parley.benchmarks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** The bare in-JVM handoff: a bounded queue and a consumer thread. */
final class QueueRelay implements BareRelayBenchmark.Relay {
    private static final byte[] STOP = new byte[0];
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(StreamThroughputBenchmark.WINDOW);
    private final Thread consumer;

    QueueRelay(Runnable onReceive) {
        consumer = new Thread(() -> {
            try {
                while (queue.take() != STOP) {
                    onReceive.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-queue-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public void send(byte[] message) throws InterruptedException {
        queue.put(message);
    }

    @Override
    public void close() throws InterruptedException {
        queue.put(STOP);
        consumer.join(5_000);
    }
}
