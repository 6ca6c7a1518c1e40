package dev.parley;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A group or a DM. */
public sealed interface Conversation permits Group, Dm {
    String id();

    ConversationType type();

    /** Node time of creation, nanoseconds since the epoch. */
    long createdAtNs();

    ConsentState consentState();

    /** Records this inbox's decision on every installation; DENIED stops its messages from being streamed or stored. */
    void updateConsentState(ConsentState state);

    /** Sends text; returns the message id. */
    String send(String text);

    /** Sends content with the codec registered for {@code contentType}; returns the message id. */
    String send(Object content, ContentTypeId contentType);

    /**
     * Sends text without waiting: the future completes with the message id once the node stored it.
     * Many sends may be in flight on one connection; those of one thread land in the order they were
     * called, unless one is retried after a transient failure (each keeps its idempotency key, so a
     * retry never duplicates). The future fails with the typed exceptions {@link #send(String)} throws.
     */
    CompletableFuture<String> sendAsync(String text);

    /** {@link #sendAsync(String)} for content of {@code contentType}. */
    CompletableFuture<String> sendAsync(Object content, ContentTypeId contentType);

    /** Stored messages, in conversation order. */
    List<DecodedMessage> messages();

    /** Messages of this conversation only. */
    MessageStream<DecodedMessage> stream(StreamOptions<DecodedMessage> options);

    default MessageStream<DecodedMessage> stream() {
        return stream(StreamOptions.<DecodedMessage>builder().build());
    }

    List<String> memberInboxIds();
}
