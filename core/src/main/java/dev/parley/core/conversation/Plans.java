package dev.parley.core.conversation;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.GroupUpdated;
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

/** The four kinds of stream of one client: which topics each follows and what it makes of an envelope. */
final class Plans {
    /** Default consent filter of {@code streamAllMessages}. */
    static final Set<ConsentState> DEFAULT_MESSAGE_CONSENT = EnumSet.of(ConsentState.ALLOWED, ConsentState.UNKNOWN);

    private final String inboxId;
    private final MessageStore store;
    private final EnvelopeProcessor processor;
    private final Syncer syncer;

    Plans(String inboxId, MessageStore store, EnvelopeProcessor processor, Syncer syncer) {
        this.inboxId = inboxId;
        this.store = store;
        this.processor = processor;
        this.syncer = syncer;
    }

    /** A filter on conversation type and consent state. */
    record Filter(Optional<ConversationType> type, Set<ConsentState> consent) {
        boolean accepts(ConversationRecord conversation, ConsentState state) {
            return (type.isEmpty() || type.get() == conversation.type()) && consent.contains(state);
        }
    }

    /** New conversations: follows the welcome topic. */
    StreamPlan<Conversation> conversations(Filter filter, Function<ConversationRecord, Conversation> view,
                                           Optional<String> durable) {
        String welcome = Topics.welcome(inboxId);
        return new LocalStorePlan<>(store, syncer, DurableCursors.of(store, durable)) {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(welcome, fromStore(welcome));
            }

            @Override
            void handle(Envelope envelope, StreamContext<Conversation> context) {
                ConversationRecord conversation = processor.welcome(envelope);
                if (accepted(filter, conversation)) {
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
    StreamPlan<DecodedMessage> allMessages(Filter filter, Optional<String> durable) {
        String welcome = Topics.welcome(inboxId);
        String prefs = Topics.preferences(inboxId);
        return new LocalStorePlan<>(store, syncer, DurableCursors.of(store, durable)) {
            @Override
            public Map<String, Long> initialCursors() {
                Map<String, Long> cursors = new HashMap<>();
                cursors.put(welcome, fromStore(welcome));
                cursors.put(prefs, fromStore(prefs));
                for (ConversationRecord conversation : store.conversations()) {
                    if (conversation.active() && accepted(filter, conversation)) {
                        String topic = Topics.conversation(conversation.id());
                        cursors.put(topic, fromStore(topic));
                    }
                }
                return cursors;
            }

            @Override
            boolean keepsFollowing(String topic) {
                return store.conversation(Topics.subject(topic))
                        .map(conversation -> conversation.active() && accepted(filter, conversation))
                        .orElse(false);
            }

            @Override
            void handle(Envelope envelope, StreamContext<DecodedMessage> context) {
                String kind = Topics.kind(envelope.topic());
                if (kind.equals(Topics.CONVERSATION)) {
                    EnvelopeProcessor.Received received = processor.receive(envelope);
                    DecodedMessage message = received.message();
                    Optional<ConversationRecord> conversation = received.conversation();
                    // consent may have changed on another path (sync, another stream) since this topic was added
                    if (conversation.isEmpty() || filter.accepts(conversation.get(), received.consent())) {
                        context.emit(message);
                    }
                    if (leftBy(message)) {
                        context.removeTopic(envelope.topic()); // the removal is this inbox's last entry
                    }
                } else if (kind.equals(Topics.WELCOME)) {
                    ConversationRecord conversation = processor.welcome(envelope);
                    String topic = Topics.conversation(conversation.id());
                    if (conversation.active() && accepted(filter, conversation) && !context.follows(topic)) {
                        // created or joined after this stream started: every message from there on is new
                        followFrom(context, topic, EnvelopeProcessor.joinedCursor(conversation));
                    }
                } else {
                    ConsentRecord consent = processor.consent(envelope);
                    store.conversation(consent.conversationId()).ifPresent(conversation -> {
                        String topic = Topics.conversation(conversation.id());
                        boolean wanted = accepted(filter, conversation);
                        if (wanted && !context.follows(topic)) {
                            followFromNow(context, topic);
                        } else if (!wanted && context.follows(topic)) {
                            context.removeTopic(topic);
                        }
                    });
                }
            }
        };
    }

    /**
     * Messages of one conversation. For a group this inbox leaves, the change that removed it is the
     * last value: the stream then ends ({@code onEnd}); started on a group it has left, it ends at once.
     */
    StreamPlan<DecodedMessage> conversationMessages(String conversationId, Optional<String> durable) {
        String topic = Topics.conversation(conversationId);
        return new LocalStorePlan<>(store, syncer, DurableCursors.of(store, durable)) {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(topic, fromStore(topic));
            }

            @Override
            public boolean exhausted() {
                return hasLeft(conversationId);
            }

            @Override
            void handle(Envelope envelope, StreamContext<DecodedMessage> context) {
                DecodedMessage message = processor.message(envelope);
                context.emit(message);
                if (leftBy(message)) {
                    context.complete();
                }
            }
        };
    }

    /**
     * True when {@code message} is the group update that removed this inbox and it has not been added
     * back since (another path may have seen a later welcome): nothing of the group follows for it.
     * Judged by the message, not by the stored state alone, which another path may have moved past
     * entries this stream has yet to deliver.
     */
    private boolean leftBy(DecodedMessage message) {
        return message.content() instanceof GroupUpdated update
                && (update.removedInboxIds().contains(inboxId) || update.leftInboxIds().contains(inboxId))
                && hasLeft(message.conversationId());
    }

    private boolean hasLeft(String conversationId) {
        return store.conversation(conversationId).map(c -> !c.active()).orElse(false);
    }

    /** Consent decisions of this inbox, from any installation. */
    StreamPlan<ConsentRecord> consent(Optional<String> durable) {
        return singleTopic(Topics.preferences(inboxId), processor::consent, durable);
    }

    /** Follows one topic and emits what {@code decode} makes of each envelope. */
    private <T> StreamPlan<T> singleTopic(String topic, Function<Envelope, T> decode, Optional<String> durable) {
        return new LocalStorePlan<>(store, syncer, DurableCursors.of(store, durable)) {
            @Override
            public Map<String, Long> initialCursors() {
                return Map.of(topic, fromStore(topic));
            }

            @Override
            void handle(Envelope envelope, StreamContext<T> context) {
                context.emit(decode.apply(envelope));
            }
        };
    }

    private boolean accepted(Filter filter, ConversationRecord conversation) {
        return filter.accepts(conversation, processor.consentOf(conversation.id()));
    }
}
