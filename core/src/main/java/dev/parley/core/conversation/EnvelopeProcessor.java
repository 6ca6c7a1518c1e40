package dev.parley.core.conversation;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.ContentCodec;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.GroupUpdated;
import dev.parley.ProtocolException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.codec.RangeDecoder;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;
import dev.parley.internal.Topics;
import dev.parley.protocol.Consent;
import dev.parley.protocol.ConsentUpdate;
import dev.parley.protocol.Welcome;
import dev.parley.spi.Envelope;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns envelopes into conversations, consent records and messages and stores them. Sync and
 * every stream go through here, so an envelope means the same thing whichever path brought it.
 * Anything a peer sent that does not parse or decode (payload, content type, content) throws
 * {@link ProtocolException}, never another exception; nothing is stored for it, and sync and
 * streams skip it (their cursors move on). A well-formed type without a codec is not an error: the
 * message has null content and its fallback.
 */
public final class EnvelopeProcessor {
    private static final int MAX_CACHED_CONTENT_TYPES = 256;
    private static final int MAX_CACHED_TOPICS = 4096;
    // parsed content types by their text; bounded, so a peer sending made-up types cannot grow it
    private final Map<String, ContentTypeId> contentTypes = new ConcurrentHashMap<>();
    // conversation ids by topic, so a conversation's messages share one id string: no substring per
    // message, its hash computed once for the store's look-ups; bounded like the content types
    private final Map<String, String> conversationIds = new ConcurrentHashMap<>();
    private final Function<String, String> subjectOf = this::subjectOf; // one, not one per message
    // the content type of the last message, compared by its bytes: most messages repeat it, and so
    // need neither a string decoded, nor a hash computed for the cache, nor the codecs searched
    private volatile KnownType lastType;
    private final String inboxId;
    private final MessageStore store;
    private final Codecs codecs;

    public EnvelopeProcessor(String inboxId, MessageStore store, Codecs codecs) {
        this.inboxId = inboxId;
        this.store = store;
        this.codecs = codecs;
    }

    /** A welcome: the conversation it announces, now stored. */
    public ConversationRecord welcome(Envelope envelope) {
        Welcome welcome = parse(envelope, Welcome::parseFrom, "welcome");
        ConversationType type = switch (welcome.getKind()) {
            case CONVERSATION_KIND_GROUP -> ConversationType.GROUP;
            case CONVERSATION_KIND_DM -> ConversationType.DM;
            default -> throw new ProtocolException("welcome with unknown conversation kind " + welcome.getKind());
        };
        if (welcome.getConversationId().isEmpty() || !welcome.getMemberInboxIdsList().contains(inboxId)) {
            throw new ProtocolException("welcome without conversation id or not naming this inbox");
        }
        List<String> admins = welcome.getAdminInboxIdsCount() > 0 ? welcome.getAdminInboxIdsList()
                : List.of(welcome.getCreatorInboxId()); // a node from before group membership
        ConversationRecord record = new ConversationRecord(welcome.getConversationId(), type,
                welcome.getMemberInboxIdsList(), welcome.getCreatorInboxId(), welcome.getCreatedAtNs(),
                welcome.getName(), admins, true, welcome.getJoinedAtSequence());
        boolean known = store.conversation(record.id()).isPresent();
        if (store.putConversation(record) && !known && record.stateSequence() > 0) {
            // added to a running group: its history before this inbox joined is not ours to read
            store.advanceCursor(Topics.conversation(record.id()), joinedCursor(record));
        }
        return store.conversation(record.id()).orElse(record);
    }

    /** Where this inbox's reading of a conversation it was welcomed to starts: after this cursor. */
    public static long joinedCursor(ConversationRecord conversation) {
        return Math.max(0, conversation.stateSequence() - 1);
    }

    /** A consent update of this inbox, now stored. */
    public ConsentRecord consent(Envelope envelope) {
        ConsentUpdate update = parse(envelope, ConsentUpdate::parseFrom, "consent update");
        ConsentRecord record = new ConsentRecord(update.getConversationId(), fromWire(update.getState()),
                envelope.timestampNs());
        store.putConsent(record);
        return record;
    }

    /**
     * A message; stored unless its conversation is DENIED. A group update (written by the node alone)
     * also moves the stored conversation to the state it describes, whatever the consent.
     */
    public DecodedMessage message(Envelope envelope) {
        return receive(envelope).message();
    }

    /**
     * A message as {@link #message} stores it, with its conversation as stored after it (empty when
     * unknown) and the consent it was judged by (a group update does not change that: consent rests on
     * decisions and the creator), so a stream's filter need not look them up again.
     */
    public record Received(DecodedMessage message, Optional<ConversationRecord> conversation, ConsentState consent) {
    }

    /** {@link #message}, with the consent its conversation was judged by. */
    public Received receive(Envelope envelope) {
        String conversationId = conversationIdOf(envelope.topic());
        KnownType known = lastType;
        PayloadFields payload = payloadOf(envelope, known);
        KnownType resolved = contentType(payload, known);
        ContentTypeId type = resolved.type;
        Optional<ContentCodec<?>> codec = resolved.codec;
        Object content = codec.isPresent() ? decode(codec.get(), type, payload, envelope) : null;
        Optional<ConversationRecord> conversation = storedAfter(conversationId, content, envelope.sequence());
        DecodedMessage message = new DecodedMessage(messageId(envelope.topic(), envelope.sequence()), conversationId,
                envelope.senderInboxId(), envelope.timestampNs(), type, content, payload.fallbackOrNull());
        ConsentState consent = consentOf(conversationId, conversation);
        if (consent != ConsentState.DENIED) {
            store.putMessage(message, envelope.sequence());
        }
        return new Received(message, conversation, consent);
    }

    /** The stored conversation, moved first to the state a group update describes. */
    private Optional<ConversationRecord> storedAfter(String conversationId, Object content, long sequence) {
        Optional<ConversationRecord> conversation = store.conversation(conversationId);
        if (content instanceof GroupUpdated update && conversation.isPresent()) {
            store.putConversation(conversation.get().updated(sequence, update.memberInboxIds(),
                    update.adminInboxIds(), update.newName(), inboxId));
            return store.conversation(conversationId);
        }
        return conversation;
    }

    /** Explicit decision if any; otherwise ALLOWED for conversations this inbox created, UNKNOWN for the rest. */
    public ConsentState consentOf(String conversationId) {
        Optional<ConsentRecord> decided = store.consent(conversationId);
        return decided.isPresent() ? decided.get().state() : defaultConsent(store.conversation(conversationId));
    }

    /** {@link #consentOf} of a conversation already looked up (no supplier made per message for it). */
    private ConsentState consentOf(String conversationId, Optional<ConversationRecord> conversation) {
        Optional<ConsentRecord> decided = store.consent(conversationId);
        return decided.isPresent() ? decided.get().state() : defaultConsent(conversation);
    }

    private ConsentState defaultConsent(Optional<ConversationRecord> conversation) {
        return conversation.isPresent() && conversation.get().creatorInboxId().equals(inboxId)
                ? ConsentState.ALLOWED : ConsentState.UNKNOWN;
    }

    /** The id of the message at {@code sequence} of {@code topic}: the same on every client. */
    public static String messageId(String topic, long sequence) {
        return MessageIds.of(topic, sequence);
    }

    /**
     * True when {@code id} is known, without computing it again, to be the id of message {@code sequence}
     * of conversation {@code conversationId} ({@link #messageId} of its topic): it is the id this thread
     * made last, for those two. False when not known (a store then keeps the id itself).
     */
    public static boolean knownMessageId(String id, String conversationId, long sequence) {
        return MessageIds.madeLast(id, conversationId, sequence);
    }

    private String conversationIdOf(String topic) {
        return cached(conversationIds, MAX_CACHED_TOPICS, topic, subjectOf);
    }

    /**
     * The conversation id of {@code topic}: the stored conversation's own id string when it is known,
     * the same characters, so that the store's maps find it by identity instead of comparing them.
     */
    private String subjectOf(String topic) {
        String id = Topics.subject(topic);
        return store.conversation(id).map(ConversationRecord::id).orElse(id);
    }

    /**
     * The payload's content type and its codec: the last ones resolved when the bytes are the same (a
     * client's codecs do not change), else from the cache and the codecs.
     */
    private KnownType contentType(PayloadFields payload, KnownType known) {
        if (known != null && payload.typeIs(known.text)) {
            return known;
        }
        ContentTypeId type = cached(contentTypes, MAX_CACHED_CONTENT_TYPES, payload.type(), ContentTypeId::parse);
        KnownType resolved = new KnownType(payload.typeBytes(), type, codecs.find(type));
        lastType = resolved;
        return resolved;
    }

    /**
     * A content type's UTF-8 text (valid: a payload carried it), what it parsed to and the codec that
     * decodes it. Immutable, so shared between threads without a lock.
     */
    private record KnownType(byte[] text, ContentTypeId type, Optional<ContentCodec<?>> codec) {
    }

    /** {@code cache}'s value of {@code key}; computed when missing, and kept while the cache has fewer than {@code max}. */
    private static <V> V cached(Map<String, V> cache, int max, String key, Function<String, V> compute) {
        V known = cache.get(key);
        if (known != null) {
            return known;
        }
        V computed = compute.apply(key);
        if (cache.size() < max) {
            cache.put(key, computed);
        }
        return computed;
    }

    public static Consent toWire(ConsentState state) {
        return switch (state) {
            case ALLOWED -> Consent.CONSENT_ALLOWED;
            case UNKNOWN -> Consent.CONSENT_UNKNOWN;
            case DENIED -> Consent.CONSENT_DENIED;
        };
    }

    private static ConsentState fromWire(Consent consent) {
        return switch (consent) {
            case CONSENT_ALLOWED -> ConsentState.ALLOWED;
            case CONSENT_UNKNOWN -> ConsentState.UNKNOWN;
            case CONSENT_DENIED -> ConsentState.DENIED;
            default -> throw new ProtocolException("consent update with unknown state " + consent);
        };
    }

    /** A codec (possibly the user's) failing on what a peer sent is a protocol error of that envelope, whatever it threw. */
    private static Object decode(ContentCodec<?> codec, ContentTypeId type, PayloadFields payload, Envelope envelope) {
        try {
            return codec instanceof RangeDecoder<?> inPlace
                    ? inPlace.decode(payload.bytes, payload.contentAt, payload.contentLength)
                    : codec.decode(payload.contentCopy());
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProtocolException("undecodable " + type + " content at " + envelope.topic() + "#"
                    + envelope.sequence() + ": " + e, e);
        }
    }

    private interface Parser<M> {
        M parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private static <M> M parse(Envelope envelope, Parser<M> parser, String what) {
        try {
            return parser.parse(envelope.payload());
        } catch (InvalidProtocolBufferException e) {
            throw malformed(envelope, what, e);
        }
    }

    /** A message's payload fields, its content type checked against the last one known (no parser made per message). */
    private static PayloadFields payloadOf(Envelope envelope, KnownType known) {
        try {
            return PayloadFields.read(envelope.payload(), known == null ? null : known.text);
        } catch (InvalidProtocolBufferException e) {
            throw malformed(envelope, "message", e);
        }
    }

    private static ProtocolException malformed(Envelope envelope, String what, InvalidProtocolBufferException e) {
        return new ProtocolException("malformed " + what + " at " + envelope.topic() + "#" + envelope.sequence(), e);
    }
}
