package dev.parley.core.conversation;

import dev.parley.ConsentState;
import dev.parley.NodeResetException;
import dev.parley.ProtocolException;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Brings the local store up to date: new conversations, consent decisions, then the messages of
 * every conversation that is not DENIED (denied spam costs no network) and that this inbox has not left. Each topic is read from
 * its stored cursor, page by page, until an empty page. Pages of many conversations are asked for
 * at once (at most {@value #IN_FLIGHT} queries in flight), so a sync costs about a few round trips
 * per {@value #IN_FLIGHT} conversations rather than per conversation; pages are applied on the
 * calling thread, each topic's in order.
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
    private String syncingEpoch = ""; // the node history this sync reads

    public Syncer(String inboxId, Transport transport, MessageStore store, EnvelopeProcessor processor,
                  Duration timeout) {
        this.inboxId = inboxId;
        this.transport = transport;
        this.store = store;
        this.processor = processor;
        this.timeout = timeout;
    }

    /**
     * Syncs everything; when the node turns out to serve a new history (the store forgot the old one
     * meanwhile, see {@link HistoryFollowingTransport}), starts over once from the new history's start.
     */
    public synchronized void sync() {
        sync(topic -> false);
    }

    /**
     * Syncs everything but the messages of conversations whose topic {@code replayed} accepts (asked once
     * welcomes and consent are applied): a restarting stream's subscription brings and stores those anyway.
     */
    public synchronized void sync(Predicate<String> replayed) {
        onceMoreAfterReset(() -> syncOnce(replayed));
    }

    /** Fetches new welcomes only (from the start of a new history, should the node's have changed). */
    public synchronized void syncConversations() {
        onceMoreAfterReset(this::pullWelcomes);
    }

    /** Fetches what is new in one conversation (after a change this client asked for). */
    public synchronized void syncConversation(String conversationId) {
        onceMoreAfterReset(() -> pull(Topics.conversation(conversationId), processor::message));
    }

    private void onceMoreAfterReset(Runnable sync) {
        try {
            syncingEpoch = store.followedEpoch();
            sync.run();
        } catch (NodeResetException reset) {
            log.info("the node's history changed during sync; syncing the new one from its start");
            syncingEpoch = store.followedEpoch();
            sync.run();
        }
    }

    private void pullWelcomes() {
        pull(Topics.welcome(inboxId), processor::welcome);
    }

    /**
     * Welcomes, then consent decisions, then messages, applied in that order as before; but the first pages of
     * all three (the conversations known now) are asked for together, so a sync that finds little new costs
     * about one round trip instead of three. The conversations to read are listed again once welcomes and
     * consent are applied: new ones are read too, and a prefetched page of one now DENIED or left is dropped
     * unapplied.
     */
    private void syncOnce(Predicate<String> replayed) {
        String welcomes = Topics.welcome(inboxId);
        String preferences = Topics.preferences(inboxId);
        List<String> first = new ArrayList<>(List.of(welcomes, preferences));
        messageTopics(replayed).stream().limit(IN_FLIGHT - first.size()).forEach(first::add);
        Map<String, PendingPage> prefetched = new HashMap<>();
        for (String topic : first) {
            prefetched.put(topic, PendingPage.ask(transport, topic, store.cursor(topic)));
        }
        pullAll(List.of(welcomes), processor::welcome, prefetched);
        pullAll(List.of(preferences), processor::consent, prefetched);
        pullAll(messageTopics(replayed), processor::message, prefetched);
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

    private void pull(String topic, Consumer<Envelope> handler) {
        pullAll(List.of(topic), handler, Map.of());
    }

    /**
     * Every topic from its cursor to its end. Only an empty page ends a topic: the node caps a page
     * by bytes too, so a short page need not be the last. Pages are pipelined across topics (one
     * query per topic in flight, the next asked for once its page is applied, so a topic's pages
     * apply in order). A topic's first page comes from {@code prefetched} when it was asked for from the
     * cursor the store still has.
     */
    private void pullAll(List<String> topics, Consumer<Envelope> handler, Map<String, PendingPage> prefetched) {
        Iterator<String> waiting = topics.iterator();
        ArrayDeque<PendingPage> inFlight = new ArrayDeque<>();
        while (waiting.hasNext() || !inFlight.isEmpty()) {
            while (inFlight.size() < IN_FLIGHT && waiting.hasNext()) {
                String topic = waiting.next();
                long cursor = store.cursor(topic);
                PendingPage early = prefetched.get(topic);
                inFlight.add(early != null && early.after() == cursor ? early : PendingPage.ask(transport, topic, cursor));
            }
            PendingPage next = inFlight.poll();
            List<Envelope> page = Futures.await(next.page(), timeout);
            if (page.isEmpty()) {
                continue;
            }
            next.check(page);
            long after = apply(next.topic(), page, handler);
            inFlight.add(PendingPage.ask(transport, next.topic(), after));
        }
    }

    /**
     * Hands a page to {@code handler} and advances the stored cursor; returns the last sequence.
     *
     * @throws NodeResetException when the store adopted a new node history during this sync (the
     *                            page, of the old one, wrote nothing): the sync starts over
     */
    private long apply(String topic, List<Envelope> page, Consumer<Envelope> handler) {
        String now = store.followedEpoch();
        if (!now.equals(syncingEpoch)) {
            throw new NodeResetException(syncingEpoch, now);
        }
        long[] after = {store.cursor(topic)};
        store.inTransaction(syncingEpoch, () -> { // one commit per page
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
        static PendingPage ask(Transport transport, String topic, long after) {
            return new PendingPage(topic, after, transport.query(topic, after, PAGE));
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
