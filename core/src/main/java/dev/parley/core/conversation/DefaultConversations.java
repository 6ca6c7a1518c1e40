package dev.parley.core.conversation;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.Conversation;
import dev.parley.ConversationType;
import dev.parley.Conversations;
import dev.parley.DecodedMessage;
import dev.parley.Dm;
import dev.parley.Group;
import dev.parley.MessageStream;
import dev.parley.Preferences;
import dev.parley.ProtocolException;
import dev.parley.StreamOptions;
import dev.parley.core.store.ConversationRecord;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Conversations and preferences of one client. */
public final class DefaultConversations implements Conversations, Preferences {
    private final ClientState client;

    public DefaultConversations(ClientServices services) {
        this.client = services.state();
    }

    @Override
    public Group newGroup(List<String> memberInboxIds) {
        return newGroup(memberInboxIds, "");
    }

    @Override
    public Group newGroup(List<String> memberInboxIds, String name) {
        Objects.requireNonNull(memberInboxIds, "memberInboxIds");
        return (Group) create(ConversationType.GROUP, memberInboxIds, name == null ? "" : name);
    }

    @Override
    public Dm newDm(String peerInboxId) {
        Objects.requireNonNull(peerInboxId, "peerInboxId");
        if (peerInboxId.equals(client.inboxId)) {
            throw new IllegalArgumentException("a DM needs another inbox than your own");
        }
        return (Dm) create(ConversationType.DM, List.of(peerInboxId), "");
    }

    private Conversation create(ConversationType type, List<String> members, String name) {
        // one key across retries (and endpoints): a request re-sent after a lost answer creates one conversation
        String key = ClientState.newIdempotencyKey();
        String id = ClientState.retryTransient(() -> Futures.await(
                client.transport.createConversation(type, List.copyOf(members), name, key), client.requestTimeout));
        client.syncer.syncConversations();
        return getConversationById(id).orElseThrow(() ->
                new ProtocolException("node created conversation " + id + " but sent no welcome for it"));
    }

    @Override
    public List<Conversation> list() {
        return client.store.conversations().stream().map(this::view).toList();
    }

    @Override
    public Optional<Conversation> getConversationById(String id) {
        return client.store.conversation(id).map(this::view);
    }

    @Override
    public void sync() {
        client.syncer.sync();
    }

    @Override
    public MessageStream<Conversation> stream(StreamOptions<Conversation> options) {
        Plans.Filter filter = new Plans.Filter(options.conversationType(),
                options.consentStates().orElse(EnumSet.allOf(ConsentState.class)));
        return client.runtime.start(client.plans.conversations(filter, this::view, options.durable()), options);
    }

    @Override
    public MessageStream<DecodedMessage> streamAllMessages(StreamOptions<DecodedMessage> options) {
        Set<ConsentState> consent = options.consentStates().orElse(Plans.DEFAULT_MESSAGE_CONSENT);
        Plans.Filter filter = new Plans.Filter(options.conversationType(), consent);
        return client.runtime.start(client.plans.allMessages(filter, options.durable()), options);
    }

    @Override
    public ConsentState consentState(String conversationId) {
        return client.processor.consentOf(Objects.requireNonNull(conversationId, "conversationId"));
    }

    @Override
    public MessageStream<ConsentRecord> streamConsent(StreamOptions<ConsentRecord> options) {
        return client.runtime.start(client.plans.consent(options.durable()), options);
    }

    private Conversation view(ConversationRecord record) {
        return record.type() == ConversationType.DM ? new DefaultDm(record, client) : new DefaultGroup(record, client);
    }
}
