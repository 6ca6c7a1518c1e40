package dev.parley.core.conversation;

import dev.parley.ConsentState;
import dev.parley.NodeResetException;
import dev.parley.ParleyException;
import dev.parley.ProtocolException;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;
import dev.parley.internal.Failures;
import dev.parley.internal.RequestDeadlines;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;
import dev.parley.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Brings the local store up to date: new conversations, consent decisions, then the messages of
 * every conversation that is not DENIED (denied spam costs no network) and that this inbox has not left. Each topic is read from
 * its stored cursor, page by page, until an empty page. Pages of many conversations are asked for
 * at once (at most {@value #IN_FLIGHT} queries in flight), so a sync costs about a few round trips
 * per {@value #IN_FLIGHT} conversations rather than per conversation; pages are applied on the
 * client's pool ({@link SyncLane}), each topic's in order. A sync holds no thread while it waits for the node, and a
 * client's syncs run one at a time ({@link SyncTurns}): the streams' catch-ups ({@link #syncAsync}) wait for their
 * turn without a thread, the blocking calls on their caller's, which runs sync work meanwhile.
 */
public final class Syncer {
    private static final Logger log = LoggerFactory.getLogger(Syncer.class);
    private static final int PAGE = 1000;
    private static final int IN_FLIGHT = 64;

    private final String inboxId;
    private final Transport transport;
    private final MessageStore store;
    private final EnvelopeProcessor processor;
    private final Duration timeout;
    private final SyncLane lane;
    private final SyncTurns turns;

    /**
     * @param timeout the longest the node may take to answer one page
     * @param pool    where pages are applied (the client's stream pool)
     */
    public Syncer(String inboxId, Transport transport, MessageStore store, EnvelopeProcessor processor,
                  Duration timeout, Executor pool) {
        this.inboxId = inboxId;
        this.transport = transport;
        this.store = store;
        this.processor = processor;
        this.timeout = timeout;
        this.lane = new SyncLane(pool);
        this.turns = new SyncTurns(lane, replayed -> onceMoreAfterReset(epoch -> syncOnce(epoch, replayed)));
    }

    /**
     * Syncs everything; when the node turns out to serve a new history (the store forgot the old one
     * meanwhile, see {@link HistoryFollowingTransport}), starts over once from the new history's start.
     */
    public void sync() {
        await(syncAsync(topic -> false));
    }

    /**
     * Syncs everything but the messages of conversations whose topic {@code replayed} accepts (asked once
     * welcomes and consent are applied, on the pool): a restarting stream's subscription brings and stores those
     * anyway. Returns at once; the future completes when the sync is done.
     */
    public CompletableFuture<Void> syncAsync(Predicate<String> replayed) {
        return turns.full(replayed);
    }

    /** Fetches new welcomes only (from the start of a new history, should the node's have changed). */
    public void syncConversations() {
        await(turns.one(() -> onceMoreAfterReset(
                epoch -> new PagePull(epoch, List.of(Topics.welcome(inboxId)), processor::welcome, Map.of()).run())));
    }

    /** Fetches what is new in one conversation (after a change this client asked for). */
    public void syncConversation(String conversationId) {
        await(turns.one(() -> onceMoreAfterReset(epoch -> new PagePull(epoch,
                List.of(Topics.conversation(conversationId)), processor::message, Map.of()).run())));
    }

    /**
     * Waits for {@code sync} (its every request bounded by the request timeout) on the caller's thread, with the
     * typed exceptions users expect.
     */
    private void await(CompletableFuture<Void> sync) {
        try {
            lane.await(sync);
        } catch (ExecutionException e) {
            throw Failures.asParley(e.getCause());
        } catch (CancellationException e) {
            throw Failures.asParley(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while waiting for the node", e);
        }
    }

    /** {@code sync} of the history the store follows; once more, from the new one, when a reset meets it. */
    private CompletableFuture<Void> onceMoreAfterReset(Function<String, CompletableFuture<Void>> sync) {
        return started(sync).exceptionallyCompose(failure -> {
            if (!(Failures.unwrap(failure) instanceof NodeResetException)) {
                return CompletableFuture.failedFuture(Failures.unwrap(failure));
            }
            log.info("the node's history changed during sync; syncing the new one from its start");
            return started(sync);
        });
    }

    private CompletableFuture<Void> started(Function<String, CompletableFuture<Void>> sync) {
        try {
            return sync.apply(store.followedEpoch());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Welcomes, then consent decisions, then messages, applied in that order as before; but the first pages of
     * all three (the conversations known now) are asked for together, so a sync that finds little new costs
     * about one round trip instead of three. The conversations to read are listed again once welcomes and
     * consent are applied: new ones are read too, and a prefetched page of one now DENIED or left is dropped
     * unapplied.
     */
    private CompletableFuture<Void> syncOnce(String epoch, Predicate<String> replayed) {
        String welcomes = Topics.welcome(inboxId);
        String preferences = Topics.preferences(inboxId);
        List<String> first = new ArrayList<>(List.of(welcomes, preferences));
        messageTopics(replayed).stream().limit(IN_FLIGHT - first.size()).forEach(first::add);
        Map<String, PendingPage> prefetched = new HashMap<>();
        for (String topic : first) {
            prefetched.put(topic, ask(topic, store.cursor(topic)));
        }
        return new PagePull(epoch, List.of(welcomes), processor::welcome, prefetched).run()
                .thenCompose(welcomed -> new PagePull(epoch, List.of(preferences), processor::consent, prefetched).run())
                .thenCompose(consented -> new PagePull(epoch, messageTopics(replayed), processor::message, prefetched).run());
    }

    /**
     * The conversations a sync reads: active ones (the node stops at a removal) not DENIED, but for those
     * {@code replayed} leaves to a subscription.
     */
    private List<String> messageTopics(Predicate<String> replayed) {
        List<String> topics = new ArrayList<>();
        for (ConversationRecord conversation : store.conversations()) {
            String topic = Topics.conversation(conversation.id());
            if (conversation.active() && processor.consentOf(conversation.id()) != ConsentState.DENIED
                    && !replayed.test(topic)) {
                topics.add(topic);
            }
        }
        return topics;
    }

    /** A query of {@code topic} after {@code after}, bounded by the request timeout. */
    private PendingPage ask(String topic, long after) {
        CompletableFuture<List<Envelope>> page = transport.query(topic, after, PAGE);
        if (!transport.timesOutRequests()) {
            page = RequestDeadlines.bound(page, RequestDeadlines.fromNow(timeout), timeout);
        }
        return new PendingPage(topic, after, page);
    }

    /**
     * Every topic of a list from its cursor to its end. Only an empty page ends a topic: the node caps a page
     * by bytes too, so a short page need not be the last. Pages are pipelined across topics (one
     * query per topic in flight, the next asked for once its page is applied, so a topic's pages
     * apply in order, in the order they were asked). A topic's first page comes from {@code prefetched} when it
     * was asked for from the cursor the store still has. Pages that have arrived are applied on the thread that
     * runs {@link #run} or {@link #step}; one still on its way resumes the pull on the pool when it comes.
     */
    private final class PagePull {
        private final String epoch;
        private final Iterator<String> waiting;
        private final Consumer<Envelope> handler;
        private final Map<String, PendingPage> prefetched;
        private final ArrayDeque<PendingPage> inFlight = new ArrayDeque<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        PagePull(String epoch, List<String> topics, Consumer<Envelope> handler, Map<String, PendingPage> prefetched) {
            this.epoch = epoch;
            this.waiting = topics.iterator();
            this.handler = handler;
            this.prefetched = prefetched;
        }

        CompletableFuture<Void> run() {
            step();
            return done;
        }

        private void step() {
            try {
                while (true) {
                    while (inFlight.size() < IN_FLIGHT && waiting.hasNext()) {
                        String topic = waiting.next();
                        long cursor = store.cursor(topic);
                        PendingPage early = prefetched.get(topic);
                        inFlight.add(early != null && early.after() == cursor ? early : ask(topic, cursor));
                    }
                    PendingPage next = inFlight.peek();
                    if (next == null) {
                        done.complete(null);
                        return;
                    }
                    if (!next.page().isDone()) {
                        next.page().whenComplete((page, failure) -> resume());
                        return;
                    }
                    inFlight.poll();
                    List<Envelope> page = next.answer(timeout);
                    if (!page.isEmpty()) {
                        next.check(page);
                        long after = apply(epoch, next.topic(), page, handler);
                        inFlight.add(ask(next.topic(), after));
                    }
                }
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }

        private void resume() {
            try {
                lane.execute(this::step);
            } catch (RejectedExecutionException closed) {
                done.completeExceptionally(new ParleyException("the client closed during a sync", closed));
            }
        }
    }

    /**
     * Hands a page to {@code handler} and advances the stored cursor; returns the last sequence.
     *
     * @throws NodeResetException when the store adopted a new node history during this sync (the
     *                            page, of the old one, wrote nothing): the sync starts over
     */
    private long apply(String epoch, String topic, List<Envelope> page, Consumer<Envelope> handler) {
        String now = store.followedEpoch();
        if (!now.equals(epoch)) {
            throw new NodeResetException(epoch, now);
        }
        long[] after = {store.cursor(topic)};
        store.inTransaction(epoch, () -> { // one commit per page
            for (Envelope envelope : page) {
                if (envelope.sequence() > after[0] + 1 && !MembershipGaps.endsAt(store, topic, envelope.sequence())) {
                    log.warn("{} entries of {} ({} to {}) are no longer kept by the node; synced what remains",
                            envelope.sequence() - after[0] - 1, topic, after[0] + 1, envelope.sequence() - 1);
                }
                try {
                    handler.accept(envelope);
                } catch (ProtocolException e) {
                    log.warn("skipping undecodable envelope {}#{}: {}", topic, envelope.sequence(), e.getMessage());
                }
                after[0] = envelope.sequence();
                store.advanceCursor(topic, after[0]);
            }
        });
        return after[0];
    }

    /** A query of {@code topic} after {@code after}, in flight. */
    private record PendingPage(String topic, long after, CompletableFuture<List<Envelope>> page) {
        /** The page, once it has arrived; a failure as the typed exception users expect. */
        List<Envelope> answer(Duration timeout) {
            try {
                return page.join();
            } catch (CompletionException | CancellationException e) {
                throw Futures.failure(e, timeout);
            }
        }

        /**
         * A node answers what was asked: envelopes of this topic, after the cursor asked with (not the
         * store's: a live stream may have moved it), in rising order; anything else would loop or
         * mix conversations.
         */
        void check(List<Envelope> answer) {
            long previous = after;
            for (Envelope envelope : answer) {
                if (!envelope.topic().equals(topic)) {
                    throw new ProtocolException("the node answered a query of " + topic + " with an envelope of "
                            + envelope.topic());
                }
                if (envelope.sequence() <= previous) {
                    throw new ProtocolException("the node answered a query of " + topic + " after " + after
                            + " with sequence " + envelope.sequence() + " after " + previous
                            + ": the cursor would not advance");
                }
                previous = envelope.sequence();
            }
        }
    }
}
