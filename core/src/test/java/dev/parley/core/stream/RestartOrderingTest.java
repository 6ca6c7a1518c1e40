package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.NodeResetException;
import dev.parley.PermissionDeniedException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.core.stream.FakeClockRuntime.EventLog;
import dev.parley.core.stream.FakeClockRuntime.EpochPlan;
import dev.parley.core.stream.ScriptedTransport.ScriptedSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.parley.core.stream.FakeClockRuntime.TOPIC;
import static dev.parley.core.stream.ScriptedTransport.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order of a restart's two halves, its catch-up and its subscribe, against the catch-up of the attempt before
 * it and against the node's answers: a scripted transport, a fake clock, and a real pool of two threads, so that a
 * catch-up can be held open (it waits for the test) while the stream's events go on.
 */
@Timeout(60)
class RestartOrderingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CONVERSATION = TOPIC.substring("conv/".length());

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final FakeClock clock = new FakeClock();
    private final ScriptedTransport transport = new ScriptedTransport();
    private final StreamRuntime runtime = new StreamRuntime(transport, pool, clock, FakeClockRuntime.noJitter(),
            Duration.ofSeconds(15), WAIT);
    private final EventLog log = new EventLog();
    private HeldPlan plan;

    @AfterEach
    void stop() throws InterruptedException {
        if (plan != null) {
            plan.release.complete(null); // a failed test leaves no catch-up waiting
        }
        runtime.close();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("nothing left running").isTrue();
    }

    @Test
    void aRestartCatchesUpOnlyOnceTheDroppedAttemptsCatchUpFinishedAndOfThoseWaitingOnlyTheNewest() throws Exception {
        plan = new HeldPlan(2, "e1");
        MessageStream<String> stream = runtime.start(plan, options());
        transport.last().deliver(envelope(TOPIC, 1, "1"), envelope(TOPIC, 2, "2"));
        awaitEvent("value:2");

        transport.last().breakWith(new TransportException("cut", true));
        retry(1); // attempt 2: its catch-up is held open
        assertThat(plan.heldStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int attempt = 2; attempt <= 3; attempt++) {
            // the attempt's subscription fails while its catch-up still runs: the next attempt subscribes at once
            awaitSubscriptions(attempt);
            transport.last().breakWith(new TransportException("cut again", true));
            retry(attempt);
        }
        awaitSubscriptions(4);
        assertThat(transport.last().cursors).isEqualTo(Map.of(TOPIC, 2L));
        // whatever the stream gave the pool before this probe has started: an unchained catch-up would have
        CompletableFuture.runAsync(() -> { }, pool).get(10, TimeUnit.SECONDS);
        assertThat(plan.started).as("no catch-up starts while the dropped attempt's still runs").hasValue(2);

        plan.release.complete(null);
        awaitEvent("restart");
        assertThat(plan.started).as("attempt 3's catch-up, replaced by attempt 4's while waiting, never ran")
                .hasValue(3);
        assertThat(plan.maxRunning).as("never two catch-ups at once").hasValue(1);
        transport.last().deliver(envelope(TOPIC, 2, "2"), envelope(TOPIC, 3, "3"));
        awaitEvent("value:3");
        assertThat(log.events).containsExactly("value:1", "value:2", "error", "retry:1/10", "error", "retry:2/10",
                "error", "retry:3/10", "restart", "value:3");
        stream.end();
    }

    @Test
    void aSubscribeRefusedForANewHistoryAfterTheCatchUpAdoptedItRestartsInThatHistory() throws Exception {
        plan = new HeldPlan(2, "old") {
            @Override
            void whileHeld() {
                epoch = "new"; // the catch-up's first query met the node's new history: the store adopted it
            }
        };
        MessageStream<String> stream = runtime.start(plan, options());
        transport.last().deliver(envelope(TOPIC, 1, "1"), envelope(TOPIC, 2, "2"));
        awaitEvent("value:2");

        transport.neverAnswer();
        transport.last().breakWith(new TransportException("node restarted", true));
        retry(1);
        assertThat(plan.heldStarted.await(10, TimeUnit.SECONDS)).isTrue();
        awaitSubscriptions(2);
        ScriptedSubscription stale = transport.last();
        assertThat(stale.cursors).as("subscribed with the old history's cursor").isEqualTo(Map.of(TOPIC, 2L));
        transport.accept();
        // the node checked the subscribe's history before the catch-up adopted the new one; its refusal comes now,
        // while the catch-up still runs (it would read the new history from its start)
        stale.refuseLate(new NodeResetException("old", "new"));

        awaitSubscriptions(3);
        assertThat(transport.last().cursors).as("the new history from its start").isEqualTo(Map.of(TOPIC, 0L));
        assertThat(log.events).as("what the old history held beyond the cursor is said lost, the stream lives on")
                .startsWith("value:1", "value:2", "error", "retry:1/10",
                        "lost:" + CONVERSATION + "#3.." + Long.MAX_VALUE + ":NODE_RESET");
        assertThat(plan.resets).as("the plan drops what it holds of the old history").containsExactly("new");
        plan.release.complete(null);
        awaitEvent("restart");
        transport.last().deliver(envelope(TOPIC, 1, "new-1"), envelope(TOPIC, 2, "new-2"));
        awaitEvent("value:new-2");
        assertThat(log.events).as("the new history's entries once each, no failure")
                .endsWith("restart", "value:new-1", "value:new-2")
                .doesNotContain("failed", "fail");
        assertThat(plan.maxRunning).hasValue(1);
        stream.end();
    }

    @Test
    void aSubscribeRefusedBeforeTheCatchUpAdoptedANewHistoryWaitsForItThenRestartsInThatHistory() throws Exception {
        MessageStream<String> stream = restartRefusedWhileCatchingUp();
        transport.accept();
        plan.epoch = "new"; // the held catch-up finds the node's new history only now
        plan.release.complete(null);

        awaitSubscriptions(3);
        assertThat(transport.last().cursors).as("the new history from its start").isEqualTo(Map.of(TOPIC, 0L));
        awaitEvent("restart");
        transport.last().deliver(envelope(TOPIC, 1, "new-1"));
        awaitEvent("value:new-1");
        assertThat(log.events).as("the refusal of the old history's cursors fails nothing")
                .containsExactly("value:1", "value:2", "error", "retry:1/10",
                        "lost:" + CONVERSATION + "#3.." + Long.MAX_VALUE + ":NODE_RESET", "restart", "value:new-1");
        assertThat(stream.state()).isEqualTo(StreamState.LIVE);
        stream.end();
    }

    @Test
    void aSubscribeRefusedWhileTheCatchUpRunsInTheSameHistoryFailsTheStreamOnceCaughtUp() throws Exception {
        MessageStream<String> stream = restartRefusedWhileCatchingUp();
        plan.release.complete(null); // the held catch-up ends in the same history

        awaitEvent("end");
        assertThat(log.events).as("a refusal in the same history is the stream's end, as before")
                .containsExactly("value:1", "value:2", "error", "retry:1/10", "error", "failed", "fail", "end");
        assertThat(stream.state()).isEqualTo(StreamState.FAILED);
        assertThat(transport.subscriptions).hasSize(2);
        stream.end();
    }

    /**
     * A stream that received 1 and 2, lost its connection, and whose restart had its subscribe refused with a
     * permission error, as a wiped node refuses the old history's conversations, while its catch-up is held. The
     * refusal is queued on the stream before anything the test does next.
     */
    private MessageStream<String> restartRefusedWhileCatchingUp() throws Exception {
        plan = new HeldPlan(2, "old");
        MessageStream<String> stream = runtime.start(plan, options());
        transport.last().deliver(envelope(TOPIC, 1, "1"), envelope(TOPIC, 2, "2"));
        awaitEvent("value:2");
        transport.neverAnswer();
        transport.last().breakWith(new TransportException("connection lost", true));
        retry(1);
        assertThat(plan.heldStarted.await(10, TimeUnit.SECONDS)).isTrue();
        awaitSubscriptions(2);
        transport.last().refuseLate(new PermissionDeniedException("may not read " + TOPIC));
        return stream;
    }

    @Test
    void aConnectionLostAfterTheCatchUpAdoptedANewHistoryRetriesInThatHistory() throws Exception {
        plan = new HeldPlan(2, "old") {
            @Override
            void whileHeld() {
                epoch = "new";
            }
        };
        MessageStream<String> stream = runtime.start(plan, options());
        transport.last().deliver(envelope(TOPIC, 1, "1"), envelope(TOPIC, 2, "2"));
        awaitEvent("value:2");

        transport.last().breakWith(new TransportException("node restarted", true));
        retry(1);
        assertThat(plan.heldStarted.await(10, TimeUnit.SECONDS)).isTrue();
        awaitSubscriptions(2);
        // the node accepted the subscribe (the store follows the new history now), then the connection drops
        transport.last().breakWith(new TransportException("connection lost", true));
        retry(2);

        awaitSubscriptions(3);
        assertThat(transport.last().cursors).as("the retry subscribes in the new history, from its start")
                .isEqualTo(Map.of(TOPIC, 0L));
        assertThat(log.events).containsExactly("value:1", "value:2", "error", "retry:1/10", "error", "retry:2/10",
                "lost:" + CONVERSATION + "#3.." + Long.MAX_VALUE + ":NODE_RESET");
        plan.release.complete(null);
        awaitEvent("restart");
        transport.last().deliver(envelope(TOPIC, 1, "new-1"), envelope(TOPIC, 2, "new-2"));
        awaitEvent("value:new-2");
        assertThat(log.events).endsWith("restart", "value:new-1", "value:new-2");
        assertThat(transport.subscriptions).as("no further subscribe").hasSize(3);
        assertThat(plan.resets).containsExactly("new");
        stream.end();
    }

    private StreamOptions<String> options() {
        return log.record(StreamOptions.<String>builder().retryDelay(Duration.ofMillis(1)), clock).build();
    }

    /** Moves the clock until the stream's retry number {@code attempt} has started. */
    private void retry(int attempt) {
        String retry = "retry:" + attempt + "/10";
        await().atMost(WAIT).until(() -> {
            clock.forward(Duration.ofMillis(1));
            return log.events.contains(retry);
        });
    }

    private void awaitSubscriptions(int count) {
        await().atMost(WAIT).until(() -> transport.subscriptions.size() == count);
    }

    private void awaitEvent(String event) {
        await().atMost(WAIT).until(() -> log.events.contains(event));
    }

    /**
     * One topic from 0 in a node history; the catch-up number {@code held} stays open (holding no thread, as a sync waiting for the node) until
     * {@link #release}. Counts the catch-ups started and the most that ran at once.
     */
    private static class HeldPlan extends EpochPlan {
        final CountDownLatch heldStarted = new CountDownLatch(1);
        final CompletableFuture<Void> release = new CompletableFuture<>();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        private final AtomicInteger running = new AtomicInteger();
        private final int held;

        HeldPlan(int held, String epoch) {
            super(epoch);
            this.held = held;
        }

        @Override
        public CompletableFuture<Void> catchUp() {
            int number = started.incrementAndGet();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
            if (number == held) {
                whileHeld();
                heldStarted.countDown();
                done = release.copy().orTimeout(20, TimeUnit.SECONDS); // a test that never releases it fails
            }
            return done.whenComplete((v, failure) -> running.decrementAndGet());
        }

        /** What the held catch-up does before it waits. */
        void whileHeld() {
        }
    }
}
