package dev.parley.core.stream;

import dev.parley.MessageStream;
import dev.parley.NodeResetException;
import dev.parley.StreamOptions;
import dev.parley.StreamState;
import dev.parley.TransportException;
import dev.parley.core.stream.FakeClockRuntime.EpochPlan;
import dev.parley.core.stream.FakeClockRuntime.EventLog;
import dev.parley.core.stream.FakeClockRuntime.OneTopicPlan;
import dev.parley.core.stream.ScriptedTransport.ScriptedSubscription;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.parley.core.stream.FakeClockRuntime.TOPIC;
import static dev.parley.core.stream.ScriptedTransport.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine's bookkeeping on a scripted transport: cursors, the processed hook, demand, completion. */
class StreamEngineTest {
    private final FakeClockRuntime net = new FakeClockRuntime(Duration.ofSeconds(15), FakeClockRuntime.noJitter());
    private final EventLog log = new EventLog();

    @Test
    void aResubscriptionStartsAfterTheLastProcessedEnvelopeAndDuplicatesAreDropped() {
        OneTopicPlan plan = new OneTopicPlan();
        net.runtime.start(plan, log.record(StreamOptions.<String>builder().retryDelay(Duration.ofMillis(1)), net.clock)
                .build());
        net.transport.last().deliver(envelope(TOPIC, 1, "a"), envelope(TOPIC, 2, "b"));
        net.transport.last().breakWith(new TransportException("reset", true));
        net.clock.forward(Duration.ofMillis(1));
        ScriptedSubscription again = net.transport.last();
        assertThat(again.cursors).isEqualTo(Map.of(TOPIC, 2L));
        again.deliver(envelope(TOPIC, 2, "b"), envelope(TOPIC, 3, "c"));
        assertThat(log.events).containsExactly("value:a", "value:b", "error", "retry:1/10", "restart", "value:c");
        assertThat(plan.processed).as("processed once each, in order").containsExactly(1L, 2L, 3L);
        assertThat(plan.catchUps).as("a catch-up before each attempt").isEqualTo(2);
    }

    @Test
    void pullModeAsksForNoMoreThanTheBufferHoldsAndForMoreAsTheConsumerTakes() throws Exception {
        MessageStream<String> stream = net.runtime.start(new OneTopicPlan(),
                StreamOptions.<String>builder().bufferSize(8).build());
        ScriptedSubscription live = net.transport.last();
        assertThat(live.initialDemand).isEqualTo(8);
        live.deliver(envelopes(1, 8));
        assertThat(live.requested).as("buffer full: nothing more").isZero();
        List<String> read = new ArrayList<>();
        for (int taken = 1; taken <= 8; taken++) {
            read.add(stream.poll(Duration.ZERO).orElseThrow());
            // never more than the room the consumer made; at most one slot (below a quarter window) unasked
            assertThat(live.requested).as("requested after taking %d", taken).isBetween(taken - 1L, (long) taken);
        }
        assertThat(read).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
    }

    @Test
    void pullModeKeepsBufferedPlusInFlightWithinTheBufferAndAsksAgainBeforeTheBufferRunsEmpty() throws Exception {
        int bufferSize = 16;
        int total = 1_000;
        MessageStream<String> stream = net.runtime.start(new OneTopicPlan(),
                StreamOptions.<String>builder().bufferSize(bufferSize).build());
        DefaultMessageStream<String> pull = (DefaultMessageStream<String>) stream;
        ScriptedSubscription node = net.transport.last();
        int delivered = 0;
        int taken = 0;
        while (taken < total) {
            // the node sends what it may, in runs of up to 5 (what a node has at hand)
            long granted = node.initialDemand + node.requested;
            int run = (int) Math.min(Math.min(5, granted - delivered), total - delivered);
            if (run > 0) {
                node.deliver(envelopes(delivered + 1, delivered + run));
                delivered += run;
            }
            // the consumer reads three values per run: slower than the node, so the buffer fills at times
            for (int i = 0; i < 3 && pull.bufferedForTest() > 0; i++) {
                assertThat(stream.poll(Duration.ZERO)).contains(Integer.toString(++taken));
                long inFlight = node.initialDemand + node.requested - delivered;
                assertThat(pull.bufferedForTest() + inFlight).as("buffered + in flight after %d", taken)
                        .isLessThanOrEqualTo(bufferSize);
                if (pull.bufferedForTest() == 0 && delivered < total) {
                    assertThat(inFlight).as("demand asked before the buffer ran empty (after %d)", taken)
                            .isGreaterThanOrEqualTo(bufferSize / 2);
                }
            }
        }
        assertThat(node.requests).as("demand frames for %d values: one per quarter window at most", total)
                .isLessThanOrEqualTo(total / (bufferSize / 4));
    }

    @Test
    void aPlanThatCompletesEndsTheStreamAndPullConsumersStillReadWhatCameBefore() throws Exception {
        OneTopicPlan plan = new OneTopicPlan() {
            @Override
            public void onEnvelope(Envelope envelope, StreamContext<String> context) {
                super.onEnvelope(envelope, context);
                if (envelope.sequence() == 2) {
                    context.complete();
                }
            }
        };
        List<String> ended = new ArrayList<>();
        MessageStream<String> stream = net.runtime.start(plan,
                StreamOptions.<String>builder().onEnd(() -> ended.add("end")).build());
        net.transport.last().deliver(envelopes(1, 3));
        assertThat(ended).containsExactly("end");
        assertThat(stream.state()).isEqualTo(StreamState.ENDED);
        assertThat(net.transport.last().cancelled).isTrue();
        List<String> read = new ArrayList<>();
        stream.forEach(read::add);
        assertThat(read).containsExactly("1", "2");
        assertThat(plan.processed).containsExactly(1L, 2L);
        assertThat(net.clock.pending()).isZero();
    }

    @Test
    void pullModeCountsAValueHandledOnceTheConsumerMovesPastIt() throws Exception {
        OneTopicPlan plan = new OneTopicPlan();
        MessageStream<String> stream = net.runtime.start(plan, StreamOptions.<String>builder().build());
        net.transport.last().deliver(envelopes(1, 3));
        assertThat(plan.processed).as("buffered is not handled").isEmpty();
        assertThat(stream.poll(Duration.ZERO)).contains("1");
        assertThat(plan.processed).as("being handled").isEmpty();
        assertThat(stream.poll(Duration.ZERO)).contains("2");
        assertThat(plan.processed).containsExactly(1L);
        stream.end();
        assertThat(plan.processed).as("ending says the last one taken was handled; 3 never was").containsExactly(1L, 2L);
    }

    @Test
    void anEnvelopeWithoutValuesCountsOnceEverythingBeforeItIsHandled() throws Exception {
        OneTopicPlan oddOnly = new OneTopicPlan() {
            @Override
            public void onEnvelope(Envelope envelope, StreamContext<String> context) {
                if (envelope.sequence() % 2 == 1) {
                    super.onEnvelope(envelope, context);
                }
            }
        };
        MessageStream<String> stream = net.runtime.start(oddOnly, StreamOptions.<String>builder().build());
        net.transport.last().deliver(envelopes(1, 4));
        assertThat(oddOnly.processed).isEmpty();
        assertThat(stream.poll(Duration.ZERO)).contains("1");
        assertThat(stream.poll(Duration.ZERO)).contains("3");
        assertThat(oddOnly.processed).as("1 handled, 2 had nothing; 3 is being handled").containsExactly(2L);
        stream.end();
        assertThat(oddOnly.processed).containsExactly(2L, 4L);
    }

    @Test
    void aFlowSubscriberHasHandledAValueWhenOnNextReturns() {
        OneTopicPlan plan = new OneTopicPlan();
        MessageStream<String> stream = net.runtime.start(plan, StreamOptions.<String>builder().build());
        List<Long> handledBeforeOnNext = new ArrayList<>();
        stream.asPublisher().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(2);
            }

            @Override
            public void onNext(String item) {
                handledBeforeOnNext.add(plan.processed.isEmpty() ? 0 : plan.processed.get(plan.processed.size() - 1));
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        net.transport.last().deliver(envelopes(1, 3));
        assertThat(handledBeforeOnNext).hasSize(2);
        assertThat(handledBeforeOnNext.get(0)).as("1 is not handled while onNext(1) runs").isLessThan(1L);
        assertThat(handledBeforeOnNext.get(1)).as("2 is not handled while onNext(2) runs").isLessThan(2L);
        assertThat(plan.processed).as("both counted once their onNext returned (possibly as one)").endsWith(2L);
    }

    @Test
    void aJumpInSequencesIsHistoryLostToRetentionSaidBeforeWhatFollows() {
        net.start(StreamOptions.builder(), log);
        net.transport.last().deliver(envelope(TOPIC, 4, "d"), envelope(TOPIC, 5, "e"));
        net.transport.last().deliver(envelope(TOPIC, 9, "i"));
        String conversation = TOPIC.substring("conv/".length());
        assertThat(log.events).containsExactly(
                "lost:" + conversation + "#1..3:RETENTION", "value:d", "value:e",
                "lost:" + conversation + "#6..8:RETENTION", "value:i");
    }

    @Test
    void aTopicFollowedFromLatestHasNoGapBeforeItsFirstEnvelope() {
        OneTopicPlan plan = new OneTopicPlan() {
            @Override
            public void onEnvelope(Envelope envelope, StreamContext<String> context) {
                super.onEnvelope(envelope, context);
                context.addTopic("conv/fedcba9876543210", dev.parley.spi.Subscription.LATEST);
            }
        };
        net.runtime.start(plan, log.record(StreamOptions.builder(), net.clock).build());
        net.transport.last().deliver(envelope(TOPIC, 1, "a"), envelope("conv/fedcba9876543210", 7, "g"));
        assertThat(log.events).containsExactly("value:a", "value:g");
    }

    @Test
    void aNodeWithAnotherHistoryRestartsEveryTopicFromItsBeginningAndSaysWhatIsLost() {
        EpochPlan plan = new EpochPlan("old");
        net.runtime.start(plan, log.record(StreamOptions.builder(), net.clock).build());
        net.transport.last().deliver(envelopes(1, 3));
        net.transport.failOnceWith(new NodeResetException("old", "new"));
        net.transport.last().breakWith(new TransportException("node restarted", true));
        net.clock.forward(Duration.ofSeconds(1)); // first retry: the node now serves another history
        String conversation = TOPIC.substring("conv/".length());
        assertThat(plan.resets).containsExactly("new");
        assertThat(log.events).containsSubsequence("value:1", "value:2", "value:3", "error", "retry:1/10",
                "lost:" + conversation + "#4.." + Long.MAX_VALUE + ":NODE_RESET");
        assertThat(log.events).as("a reset is not an error of the connection").filteredOn("error"::equals).hasSize(1);
        assertThat(net.transport.last().cursors).as("the new history from its start").isEqualTo(Map.of(TOPIC, 0L));
        net.transport.last().deliver(envelope(TOPIC, 1, "new-1"));
        assertThat(log.events).as("sequence 1 of the new history is no duplicate").endsWith("value:new-1");
    }

    @Test
    void aHistoryChangeWhileSubscribingIsCaughtWhenTheSubscriptionGoesLive() {
        EpochPlan plan = new EpochPlan("old");
        net.runtime.start(plan, log.record(StreamOptions.<String>builder().retryDelay(Duration.ofMillis(1)), net.clock)
                .build());
        net.transport.last().deliver(envelopes(1, 2));
        net.transport.neverAnswer();
        net.transport.last().breakWith(new TransportException("reset", true));
        net.clock.forward(Duration.ofMillis(1));      // subscribing again, with cursor 2 of the old history
        ScriptedTransport.ScriptedSubscription stale = net.transport.last();
        assertThat(stale.cursors).isEqualTo(Map.of(TOPIC, 2L));
        plan.epoch = "new";                           // meanwhile a sync met the node's new history
        net.transport.accept();
        stale.deliver(envelope(TOPIC, 3, "stale"));   // what the node sends after the old cursor
        stale.acceptLate();
        assertThat(stale.cancelled).as("the stale subscription is dropped, not used").isTrue();
        assertThat(net.transport.last().cursors).isEqualTo(Map.of(TOPIC, 0L));
        assertThat(log.events).doesNotContain("value:stale")
                .contains("lost:" + TOPIC.substring("conv/".length()) + "#3.." + Long.MAX_VALUE + ":NODE_RESET");
    }

    @Test
    void aCatchUpThatMeetsTheNewHistorySubscribesFromItsStartNotWithTheOldCursors() {
        EpochPlan plan = new EpochPlan("old") {
            @Override
            public CompletableFuture<Void> catchUp() {
                CompletableFuture<Void> done = super.catchUp();
                if (catchUps == 2) {
                    epoch = "new"; // the sync met the node's new history and the store adopted it
                }
                return done;
            }
        };
        net.runtime.start(plan, log.record(StreamOptions.<String>builder().retryDelay(Duration.ofMillis(1)), net.clock)
                .build());
        net.transport.last().deliver(envelopes(1, 2));
        net.transport.last().breakWith(new TransportException("node restarted", true));
        net.clock.forward(Duration.ofMillis(1));
        assertThat(net.transport.last().cursors).as("never the old cursor 2").isEqualTo(Map.of(TOPIC, 0L));
        assertThat(log.events).contains("lost:" + TOPIC.substring("conv/".length()) + "#3.." + Long.MAX_VALUE
                + ":NODE_RESET");
        net.transport.last().deliver(envelope(TOPIC, 1, "new-1"));
        assertThat(log.events).endsWith("value:new-1");
    }

    private static Envelope[] envelopes(int from, int to) {
        Envelope[] out = new Envelope[to - from + 1];
        for (int i = from; i <= to; i++) {
            out[i - from] = envelope(TOPIC, i, Integer.toString(i));
        }
        return out;
    }
}
