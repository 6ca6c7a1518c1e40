package dev.parley.core.conversation;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import dev.parley.TransportException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.store.MessageStore;
import dev.parley.core.stream.SerialExecutor;
import dev.parley.core.stream.StreamRuntime;
import dev.parley.internal.Topics;
import dev.parley.protocol.ConsentUpdate;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.Transport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/** Everything the conversation objects of one client share, and the writes they make. */
final class ClientState {
    private static final int PUBLISH_ATTEMPTS = 3;

    final String inboxId;
    final Transport transport;
    final MessageStore store;
    final EnvelopeProcessor processor;
    final Codecs codecs;
    final Syncer syncer;
    final Plans plans;
    final StreamRuntime runtime;
    final Duration requestTimeout;
    /** Where a sent message is stored: null (at once) for a memory store; else off the acknowledging thread. */
    private final Executor sentStore;
    private final OutgoingPayloads payloads = new OutgoingPayloads();
    // the topic of the conversation sent to last (sends to one are the common case)
    private final LastComputed<String, String> topics = new LastComputed<>(Topics::conversation);

    /**
     * @param blocking the JVM's pool for blocking work, where a durable store's writes of sent messages run in
     *                 send order: not the stream pool, whose callbacks may wait in {@code send} for them
     */
    ClientState(String inboxId, Transport transport, MessageStore store, EnvelopeProcessor processor, Codecs codecs,
                Syncer syncer, StreamRuntime runtime, Duration requestTimeout, Executor blocking) {
        this.plans = new Plans(inboxId, store, processor, syncer);
        this.inboxId = inboxId;
        this.transport = transport;
        this.store = store;
        this.processor = processor;
        this.codecs = codecs;
        this.syncer = syncer;
        this.runtime = runtime;
        this.requestTimeout = requestTimeout;
        this.sentStore = store.persistent() ? new SerialExecutor(blocking) : null;
    }

    /**
     * Publishes a message without waiting and stores it once the node did; completes with its id (as every
     * member will see it) after the store holds it. Encoding and argument errors throw at once; node failures
     * fail the future (typed), after up to {@value #PUBLISH_ATTEMPTS} attempts with one idempotency key for
     * transient ones. Sends to one conversation complete in the order the node acknowledged them.
     */
    CompletableFuture<String> sendAsync(String conversationId, Object content, ContentTypeId type) {
        if (type.sameTypeAs(ContentTypeId.GROUP_UPDATED)) {
            throw new IllegalArgumentException("group updates are written by the node; use Group.addMembers,"
                    + " removeMembers, leave or updateName");
        }
        Codecs.Encoded encoded = codecs.encode(content, type);
        String topic = topics.get(conversationId);
        Function<PublishResult, String> stored = result -> {
            String id = EnvelopeProcessor.messageId(topic, result.sequence());
            if (processor.consentOf(conversationId) != ConsentState.DENIED) {
                store.putMessage(new DecodedMessage(id, conversationId, inboxId, result.timestampNs(), type, content,
                        encoded.fallback()), result.sequence());
            }
            return id;
        };
        // a durable store may wait (for its writer); the acknowledging thread may be an I/O thread other clients share
        return RetriedPublish.start(transport, topic, payloads.encode(type, encoded), newIdempotencyKey(),
                requestTimeout, PUBLISH_ATTEMPTS, stored, sentStore);
    }

    /** Records a consent decision on the preferences topic (so every installation sees it) and locally. */
    void updateConsent(String conversationId, ConsentState state) {
        byte[] update = ConsentUpdate.newBuilder()
                .setConversationId(conversationId)
                .setState(EnvelopeProcessor.toWire(state))
                .build().toByteArray();
        PublishResult result = publish(Topics.preferences(inboxId), update);
        store.putConsent(new ConsentRecord(conversationId, state, result.timestampNs()));
    }

    /**
     * Asks the node for a change of a group (one idempotency key across retries), then brings the
     * conversation's state in the store up to that change.
     */
    void updateGroup(String conversationId, List<String> add, List<String> remove, boolean leave,
                     Optional<String> newName) {
        GroupChange change = new GroupChange(conversationId, add, remove, leave, newName, newIdempotencyKey());
        retryTransient(() -> Futures.await(transport.updateGroup(change), requestTimeout));
        syncer.syncConversation(conversationId);
    }

    /** Publishes with one idempotency key across retries of transient failures, so a retry never duplicates. */
    private PublishResult publish(String topic, byte[] payload) {
        return Futures.await(RetriedPublish.start(transport, topic, payload, newIdempotencyKey(), requestTimeout,
                PUBLISH_ATTEMPTS, Function.identity(), null), publishWait());
    }

    /** The longest a blocking publish waits: every attempt its request timeout. */
    Duration publishWait() {
        return requestTimeout.multipliedBy(PUBLISH_ATTEMPTS);
    }

    static <T> T retryTransient(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (TransportException e) {
                if (!RetriedPublish.isTransient(e) || attempt >= PUBLISH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static String newIdempotencyKey() {
        return IdempotencyKeys.next();
    }
}
