package dev.parley.core.conversation;

import dev.parley.ConsentState;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.core.store.ConversationRecord;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** What groups and DMs have in common: a stored record plus the client's services. */
abstract class DefaultConversation {
    final ConversationRecord record;
    final ClientState client;

    DefaultConversation(ConversationRecord record, ClientState client) {
        this.record = record;
        this.client = client;
    }

    public String id() {
        return record.id();
    }

    public ConversationType type() {
        return record.type();
    }

    public long createdAtNs() {
        return record.createdAtNs();
    }

    public ConsentState consentState() {
        return client.processor.consentOf(record.id());
    }

    public void updateConsentState(ConsentState state) {
        client.updateConsent(record.id(), Objects.requireNonNull(state, "state"));
    }

    public String send(String text) {
        return send(Objects.requireNonNull(text, "text"), ContentTypeId.TEXT);
    }

    public String send(Object content, ContentTypeId contentType) {
        return Futures.await(sendAsync(content, contentType), client.publishWait());
    }

    public CompletableFuture<String> sendAsync(String text) {
        return sendAsync(Objects.requireNonNull(text, "text"), ContentTypeId.TEXT);
    }

    public CompletableFuture<String> sendAsync(Object content, ContentTypeId contentType) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(contentType, "contentType");
        return client.sendAsync(record.id(), content, contentType);
    }

    public List<DecodedMessage> messages() {
        return client.store.messages(record.id());
    }

    public MessageStream<DecodedMessage> stream(StreamOptions<DecodedMessage> options) {
        Objects.requireNonNull(options, "options");
        return client.runtime.start(client.plans.conversationMessages(record.id(), options.durable()), options);
    }

    /** The members as of the last group update this client has seen. */
    public List<String> memberInboxIds() {
        return current().memberInboxIds();
    }

    /** The record as the store holds it now (group updates replace it); the one this view was made from if gone. */
    final ConversationRecord current() {
        return client.store.conversation(record.id()).orElse(record);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefaultConversation other && other.record.id().equals(record.id());
    }

    @Override
    public int hashCode() {
        return record.id().hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + record.id() + "]";
    }
}
