package dev.parley.core.conversation;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;
import dev.parley.core.stream.StreamContext;
import dev.parley.core.stream.StreamPlan;
import dev.parley.internal.Topics;
import dev.parley.spi.Envelope;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The four kinds of stream: which topics each follows and what it makes of an envelope. */
final class Plans {
    /** Default consent filter of {@code streamAllMessages}. */
    static final Set<ConsentState> DEFAULT_MESSAGE_CONSENT = EnumSet.of(ConsentState.ALLOWED, ConsentState.UNKNOWN);

    private Plans() {
    }

    /** A filter on conversation type and consent state. */
    record Filter(Optional<ConversationType> type, Set<ConsentState> consent) {
        boolean accepts(ConversationRecord conversation, ConsentState state) {
            return type.map(t -> t == conversation.type()).orElse(true) && consent.contains(state);
        }
    }

    /** New conversations: follows the welcome topic. */
    static StreamPlan<Conversation> conversations(String inboxId, MessageStore store, EnvelopeProcessor processor,
                                                  Filter filter, Function<ConversationRecord, Conversation> view) {
        String welcome = Topics.welcome(inboxId);
        return new StreamPlan<>() {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(welcome, store.cursor(welcome));
            }

            @Override
            public void onEnvelope(Envelope envelope, StreamContext<Conversation> context) {
                ConversationRecord conversation = processor.welcome(envelope);
                if (filter.accepts(conversation, processor.consentOf(conversation.id()))) {
                    context.emit(view.apply(conversation));
                }
            }
        };
    }

    /**
     * Messages of all conversations that pass the filter. Follows the welcome topic (to add new
     * conversations), the preferences topic (to add or drop conversations whose consent changes)
     * and the topic of every accepted conversation; excluded conversations cost no network.
     */
    static StreamPlan<DecodedMessage> allMessages(String inboxId, MessageStore store, EnvelopeProcessor processor,
                                                  Filter filter) {
        String welcome = Topics.welcome(inboxId);
        String prefs = Topics.preferences(inboxId);
        return new StreamPlan<>() {
            @Override
            public Map<String, Long> initialCursors() {
                Map<String, Long> cursors = new HashMap<>();
                cursors.put(welcome, store.cursor(welcome));
                cursors.put(prefs, store.cursor(prefs));
                for (ConversationRecord conversation : store.conversations()) {
                    if (filter.accepts(conversation, processor.consentOf(conversation.id()))) {
                        String topic = Topics.conversation(conversation.id());
                        cursors.put(topic, store.cursor(topic));
                    }
                }
                return cursors;
            }

            @Override
            public void onEnvelope(Envelope envelope, StreamContext<DecodedMessage> context) {
                String kind = Topics.kind(envelope.topic());
                if (kind.equals(Topics.CONVERSATION)) {
                    DecodedMessage message = processor.message(envelope);
                    // consent may have changed on another path (sync, another stream) since this topic was added
                    boolean wanted = store.conversation(message.conversationId())
                            .map(c -> filter.accepts(c, processor.consentOf(c.id())))
                            .orElse(true);
                    if (wanted) {
                        context.emit(message);
                    }
                } else if (kind.equals(Topics.WELCOME)) {
                    ConversationRecord conversation = processor.welcome(envelope);
                    if (filter.accepts(conversation, processor.consentOf(conversation.id()))) {
                        // created after this stream started: every message of it is new
                        context.addTopic(Topics.conversation(conversation.id()), 0);
                    }
                } else {
                    ConsentRecord consent = processor.consent(envelope);
                    store.conversation(consent.conversationId()).ifPresent(conversation -> {
                        String topic = Topics.conversation(conversation.id());
                        boolean wanted = filter.accepts(conversation, processor.consentOf(conversation.id()));
                        if (wanted && !context.follows(topic)) {
                            context.addTopic(topic, Topics.LATEST);
                        } else if (!wanted && context.follows(topic)) {
                            context.removeTopic(topic);
                        }
                    });
                }
            }
        };
    }

    /** Messages of one conversation. */
    static StreamPlan<DecodedMessage> conversationMessages(String conversationId, MessageStore store,
                                                           EnvelopeProcessor processor) {
        String topic = Topics.conversation(conversationId);
        return new StreamPlan<>() {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(topic, store.cursor(topic));
            }

            @Override
            public void onEnvelope(Envelope envelope, StreamContext<DecodedMessage> context) {
                context.emit(processor.message(envelope));
            }
        };
    }

    /** Consent decisions of this inbox, from any installation. */
    static StreamPlan<ConsentRecord> consent(String inboxId, MessageStore store, EnvelopeProcessor processor) {
        String prefs = Topics.preferences(inboxId);
        return new StreamPlan<>() {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(prefs, store.cursor(prefs));
            }

            @Override
            public void onEnvelope(Envelope envelope, StreamContext<ConsentRecord> context) {
                context.emit(processor.consent(envelope));
            }
        };
    }
}
