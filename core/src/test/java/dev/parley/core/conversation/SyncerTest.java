package dev.parley.core.conversation;

import dev.parley.core.UnsupportedTransport;
import dev.parley.ConversationType;
import dev.parley.ProtocolException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.InMemoryMessageStore;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;
import dev.parley.spi.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Paging: a short page is not the last (the node caps pages by bytes), and a page that does not advance is an error. */
@Timeout(10)
class SyncerTest {
    private static final String INBOX = "a".repeat(64);
    private static final String WELCOMES = Topics.welcome(INBOX);

    private final InMemoryMessageStore store = new InMemoryMessageStore(1000);
    private final List<Long> asked = new CopyOnWriteArrayList<>();

    private Syncer syncer(LongFunction<List<Envelope>> welcomesAfter) {
        return new Syncer(INBOX, new PagingTransport(welcomesAfter), store,
                new EnvelopeProcessor(INBOX, store, new Codecs(List.of())), Duration.ofSeconds(5), Runnable::run);
    }

    private static Envelope welcome(long sequence) {
        return new Envelope(WELCOMES, sequence, sequence, new byte[] {(byte) 0xff}, "k" + sequence, "node");
    }

    @Test
    void shortPagesAreFollowedUntilAnEmptyPage() {
        long total = 5;
        syncer(after -> LongStream.rangeClosed(after + 1, Math.min(after + 2, total)).mapToObj(SyncerTest::welcome)
                .toList()).syncConversations();
        assertThat(store.cursor(WELCOMES)).isEqualTo(total);
        assertThat(asked).containsExactly(0L, 2L, 4L, 5L);
    }

    @Test
    void aPageThatDoesNotAdvanceTheCursorIsAProtocolErrorNotALoop() {
        Syncer syncer = syncer(after -> List.of(welcome(1)));
        assertThatThrownBy(syncer::syncConversations).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("would not advance");
    }

    @Test
    void aPageOfAnotherTopicIsAProtocolErrorAndNothingOfItIsStored() {
        String other = Topics.welcome("b".repeat(64));
        Syncer syncer = syncer(after -> after == 0
                ? List.of(welcome(1), new Envelope(other, 2, 2, new byte[] {(byte) 0xff}, "x", "node"))
                : List.of());
        assertThatThrownBy(syncer::syncConversations).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("with an envelope of " + other);
        assertThat(store.cursor(WELCOMES)).isZero();
        assertThat(store.cursor(other)).isZero();
    }

    @Test
    void aPageWhoseSequencesDoNotRiseIsAProtocolError() {
        Syncer syncer = syncer(after -> after == 0 ? List.of(welcome(2), welcome(1), welcome(3)) : List.of());
        assertThatThrownBy(syncer::syncConversations).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("with sequence 1 after 2");
        assertThat(store.cursor(WELCOMES)).isZero();
    }

    @Test
    void theFirstPagesOfWelcomesPreferencesAndKnownConversationsAreAskedForTogether() throws Exception {
        String conversation = "c".repeat(32);
        store.putConversation(new ConversationRecord(conversation, ConversationType.GROUP, List.of(INBOX), INBOX, 1,
                "", List.of(INBOX), true, 0));
        Map<String, CompletableFuture<List<Envelope>>> pending = new ConcurrentHashMap<>();
        Transport held = new PagingTransport(after -> List.of()) {
            @Override
            public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
                return pending.computeIfAbsent(topic, t -> new CompletableFuture<>());
            }
        };
        Syncer syncer = new Syncer(INBOX, held, store, new EnvelopeProcessor(INBOX, store, new Codecs(List.of())),
                Duration.ofSeconds(5), Runnable::run);
        CompletableFuture<Void> synced = CompletableFuture.runAsync(syncer::sync);
        Set<String> together = Set.of(WELCOMES, Topics.preferences(INBOX), Topics.conversation(conversation));
        // nothing is answered until all three are asked: a sync that asked one after the other would wait forever
        await().atMost(Duration.ofSeconds(5)).until(() -> pending.keySet().containsAll(together));
        pending.values().forEach(page -> page.complete(List.of()));
        synced.get(5, TimeUnit.SECONDS);
        assertThat(pending.keySet()).isEqualTo(together);
    }

    @Test
    void syncsWaitingForTheNodeOrForTheirTurnHoldNoThreadAndRunOneAfterTheOther() throws Exception {
        HeldPages held = new HeldPages();
        List<CompletableFuture<List<Envelope>>> asked = held.asked;
        ExecutorService onePoolThread = Executors.newSingleThreadExecutor();
        try {
            Syncer syncer = new Syncer(INBOX, held, store, new EnvelopeProcessor(INBOX, store, new Codecs(List.of())),
                    Duration.ofSeconds(5), onePoolThread);
            CompletableFuture<Void> first = syncer.syncAsync(topic -> false);
            CompletableFuture<Void> second = syncer.syncAsync(topic -> false);
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.size() == 2); // welcomes and preferences
            CompletableFuture.runAsync(() -> { }, onePoolThread).get(5, TimeUnit.SECONDS); // the pool's thread is free
            assertThat(asked).as("the second sync waits for the first, asking nothing").hasSize(2);

            asked.forEach(page -> page.complete(List.of()));
            first.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.size() == 4);
            assertThat(second).isNotDone();
            asked.forEach(page -> page.complete(List.of()));
            second.get(5, TimeUnit.SECONDS);
        } finally {
            onePoolThread.shutdownNow();
        }
    }

    @Test
    void aCallbackThatSyncsOnTheOnlyThreadOfItsExecutorWhileACatchUpWaitsForTheNodeRunsBothToTheEnd() throws Exception {
        HeldPages held = new HeldPages();
        List<CompletableFuture<List<Envelope>>> asked = held.asked;
        ExecutorService callbackThread = Executors.newSingleThreadExecutor(); // an application's executor
        try {
            Syncer syncer = new Syncer(INBOX, held, store, new EnvelopeProcessor(INBOX, store, new Codecs(List.of())),
                    Duration.ofSeconds(5), callbackThread);
            CompletableFuture<Void> catchUp = syncer.syncAsync(topic -> false);
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.size() == 2);
            CompletableFuture<Void> callback = CompletableFuture.runAsync(syncer::sync, callbackThread);
            // the catch-up's pages arrive; what applies them is queued behind the callback, which waits for its turn
            asked.forEach(page -> page.complete(List.of()));
            catchUp.get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.size() == 4);
            asked.forEach(page -> page.complete(List.of()));
            callback.get(5, TimeUnit.SECONDS);
        } finally {
            callbackThread.shutdownNow();
        }
    }

    /** Answers no query until the test completes its page (every query asked, in order, in {@link #asked}). */
    private class HeldPages extends PagingTransport {
        final List<CompletableFuture<List<Envelope>>> asked = new CopyOnWriteArrayList<>();

        HeldPages() {
            super(after -> List.of());
        }

        @Override
        public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
            CompletableFuture<List<Envelope>> page = new CompletableFuture<>();
            asked.add(page);
            return page;
        }
    }

    /** Answers queries of the welcome topic with {@code welcomesAfter}; nothing else. */
    private class PagingTransport extends UnsupportedTransport {
        private final LongFunction<List<Envelope>> welcomesAfter;

        PagingTransport(LongFunction<List<Envelope>> welcomesAfter) {
            this.welcomesAfter = welcomesAfter;
        }

        @Override
        public CompletableFuture<List<Envelope>> query(String topic, long afterSequence, int limit) {
            asked.add(afterSequence);
            return CompletableFuture.completedFuture(welcomesAfter.apply(afterSequence));
        }
    }
}
