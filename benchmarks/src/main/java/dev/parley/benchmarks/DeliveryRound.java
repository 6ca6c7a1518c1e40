package dev.parley.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One operation of a delivery-throughput benchmark: {@code batch} publishes pipelined ({@value Bench#WINDOW}
 * in flight, each acknowledged by the node), then the wait until the consumer counted every one of them.
 */
final class DeliveryRound {
    private volatile CountDownLatch delivered = new CountDownLatch(0);
    private long key;

    /** The consumer handled one message (any thread). */
    void delivered() {
        delivered.countDown();
    }

    void run(PublisherAndSubscriber set, byte[] payload, int batch) throws Exception {
        CountDownLatch latch = new CountDownLatch(batch);
        delivered = latch;
        Semaphore inFlight = new Semaphore(Bench.WINDOW);
        for (int i = 0; i < batch; i++) {
            inFlight.acquire();
            set.publisher.publish(set.topic(i), payload, "k" + key++).whenComplete((r, e) -> inFlight.release());
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new TimeoutException(latch.getCount() + " of " + batch + " messages not delivered");
        }
    }
}
