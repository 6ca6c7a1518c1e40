package dev.parley.core.conversation;

import dev.parley.ConsentState;
import dev.parley.ProtocolException;
import dev.parley.core.Futures;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;
import dev.parley.spi.Envelope;
import dev.parley.spi.Topics;
import dev.parley.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Brings the local store up to date: new conversations, consent decisions, then the messages of
 * every conversation that is not DENIED (denied spam costs no network). Each topic is read from
 * its stored cursor, page by page.
 */
public final class Syncer {
    private static final Logger log = LoggerFactory.getLogger(Syncer.class);
    private static final int PAGE = 1000;

    private final String inboxId;
    private final Transport transport;
    private final MessageStore store;
    private final EnvelopeProcessor processor;
    private final Duration timeout;

    public Syncer(String inboxId, Transport transport, MessageStore store, EnvelopeProcessor processor,
                  Duration timeout) {
        this.inboxId = inboxId;
        this.transport = transport;
        this.store = store;
        this.processor = processor;
        this.timeout = timeout;
    }

    public synchronized void sync() {
        syncConversations();
        pull(Topics.preferences(inboxId), processor::consent);
        for (ConversationRecord conversation : store.conversations()) {
            if (processor.consentOf(conversation.id()) != ConsentState.DENIED) {
                pull(Topics.conversation(conversation.id()), processor::message);
            }
        }
    }

    /** Fetches new welcomes only. */
    public synchronized void syncConversations() {
        pull(Topics.welcome(inboxId), processor::welcome);
    }

    private void pull(String topic, Consumer<Envelope> handler) {
        long after = store.cursor(topic);
        while (true) {
            List<Envelope> page = Futures.await(transport.query(topic, after, PAGE), timeout);
            for (Envelope envelope : page) {
                try {
                    handler.accept(envelope);
                } catch (ProtocolException e) {
                    log.warn("skipping undecodable envelope {}#{}: {}", topic, envelope.sequence(), e.getMessage());
                }
                after = envelope.sequence();
                store.advanceCursor(topic, after);
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }
}
