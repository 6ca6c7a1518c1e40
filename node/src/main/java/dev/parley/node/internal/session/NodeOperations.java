package dev.parley.node.internal.session;

import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.LimitExceededException;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.internal.Failures;
import dev.parley.internal.Heartbeats;
import dev.parley.internal.Topics;
import dev.parley.node.internal.access.AccessPolicy;
import dev.parley.node.internal.access.ConversationDirectory;
import dev.parley.node.internal.access.InboxIds;
import dev.parley.node.internal.group.GroupUpdateChange;
import dev.parley.node.internal.group.GroupUpdateContent;
import dev.parley.node.internal.group.WelcomeMessages;
import dev.parley.node.internal.health.StoreHealth;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.metrics.NodeMetrics;
import dev.parley.node.internal.store.Membership;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;
import dev.parley.spi.GroupChange;
import dev.parley.spi.PublishResult;
import dev.parley.spi.SubscriptionListener;
import dev.parley.spi.node.NodeLimits;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's operations on behalf of an authenticated inbox, with validation and access control
 * on every call. Every transport endpoint goes through here, so the rules hold for all of them.
 */
public final class NodeOperations {
    public static final String NODE_SENDER = WelcomeMessages.SENDER;

    private final NodeStore store;
    private final NodeLimits limits;
    private final NodeClock clock = new NodeClock();
    private final ConversationDirectory conversations;
    private final AccessPolicy policy;
    private final VisibleReads reads;
    private final Fanout fanout = new Fanout();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService deliveryExecutor;
    private final ScheduledExecutorService scheduler;
    private final InboxAccounts accounts = new InboxAccounts();
    private final ConversationRate conversationRate;
    private final StoredBytesQuota storedBytes;
    private final AtomicInteger openSubscriptions = new AtomicInteger();
    private final NodeMetrics metrics;
    private final StoreHealth storeHealth;
    private final ResumptionTickets tickets;
    /** One instance for every write: counts the refusal, then fails it as the client should see it. */
    private final Function<Throwable, CompletionStage<Object>> failedWrite = this::failedWrite;

    /**
     * @param metrics     where the node counts what it does
     * @param storeHealth told of every store failure a client sees
     */
    public NodeOperations(NodeStore store, NodeLimits limits, ExecutorService deliveryExecutor,
                          ScheduledExecutorService scheduler, NodeMetrics metrics, StoreHealth storeHealth) {
        this(store, limits, deliveryExecutor, scheduler, metrics, storeHealth, System::nanoTime);
    }

    /** With {@code nanoTime} as the monotonic clock of the rate limits (tests move their own). */
    NodeOperations(NodeStore store, NodeLimits limits, ExecutorService deliveryExecutor,
                   ScheduledExecutorService scheduler, NodeMetrics metrics, StoreHealth storeHealth,
                   LongSupplier nanoTime) {
        this.store = store;
        this.limits = limits;
        this.metrics = metrics;
        this.storeHealth = storeHealth;
        this.tickets = new ResumptionTickets(nanoTime);
        this.conversationRate = new ConversationRate(limits.conversationsPerInboxPerMinute(), nanoTime);
        this.storedBytes = new StoredBytesQuota(store, limits.maxStoredBytesPerInbox());
        this.conversations = new ConversationDirectory(store);
        this.policy = new AccessPolicy(conversations);
        this.reads = new VisibleReads(store, policy);
        this.deliveryExecutor = deliveryExecutor;
        this.scheduler = scheduler;
        store.onAppendedSequence((topic, sequence) -> fanout.appended(topic));
    }

    /** The epoch of the node's store: clients holding cursors of another epoch must drop them. */
    public String epoch() {
        return store.epoch();
    }

    /** This node process's resumption tickets. */
    ResumptionTickets tickets() {
        return tickets;
    }

    /** The limits this node enforces. */
    public NodeLimits limits() {
        return limits;
    }

    /**
     * Counts a session just authenticated as {@code inboxId}; {@link #sessionEnded} gives it back.
     *
     * @throws LimitExceededException the inbox has {@code maxSessionsPerInbox} sessions open already
     */
    InboxAccounts.Account sessionStarted(String inboxId) {
        InboxAccounts.Account account = accounts.sessionStarted(inboxId, limits.maxSessionsPerInbox());
        if (account == null) {
            throw new LimitExceededException(LimitExceededException.SESSIONS_PER_INBOX, "inbox " + inboxId
                    + " has " + limits.maxSessionsPerInbox() + " sessions open on this node, its limit"
                    + " (maxSessionsPerInbox); close one first", false);
        }
        return account;
    }

    /** A session counted by {@link #sessionStarted} ended. */
    void sessionEnded(InboxAccounts.Account account) {
        accounts.sessionEnded(account);
    }

    /**
     * Counts a request the node refused ({@link NodeMetrics#refused}); a storage failure also counts
     * against the store's health. Returns {@code failure}.
     */
    <E extends Throwable> E refused(E failure) {
        if (NodeMetrics.isStorage(metrics.refused(failure))) {
            storeHealth.failed();
        }
        return failure;
    }

    private CompletionStage<Object> failedWrite(Throwable failure) {
        refused(failure);
        return CompletableFuture.failedFuture(StoreFailures.forClient(failure));
    }

    /** {@code write}, failing with {@link StoreFailures#forClient} when storing failed, its failure counted. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> CompletableFuture<T> writing(CompletableFuture<T> write) {
        return write.exceptionallyCompose((Function) failedWrite);
    }

    private PublishResult published(Appended appended) {
        if (!appended.isNew()) {
            metrics.duplicatePublish();
        }
        return new PublishResult(appended.envelope().sequence(), appended.envelope().timestampNs());
    }

    /** Open subscriptions over all sessions. */
    public int subscriptionCount() {
        return openSubscriptions.get();
    }

    /**
     * Completes once the envelope is durable; validation, access and quota failures throw at once. To a
     * conversation, the store takes the envelope only from a member (checked when its sequence is
     * assigned), and never a group update: the node alone writes those. The topic is parsed once; an
     * append the store completed at once (the memory store) is answered without chaining futures.
     */
    public CompletableFuture<PublishResult> publish(InboxAccounts.Account inbox, String topic, byte[] payload,
                                                    String idempotencyKey) {
        if (payload == null || payload.length > RequestLimits.MAX_PAYLOAD_BYTES) {
            throw new ProtocolException("payload missing or larger than " + RequestLimits.MAX_PAYLOAD_BYTES + " bytes");
        }
        requireIdempotencyKey(idempotencyKey);
        String inboxId = inbox.inboxId();
        InboxAccounts.WritableTopic writable = inbox.knownWritable(topic);
        if (writable == null) {
            InboxAccounts.WritableTopic parsed = new InboxAccounts.WritableTopic(topic, Topics.kind(topic),
                    Topics.subject(topic));
            StoreFailures.checking(() -> policy.checkWrite(inboxId, parsed.kind(), parsed.subject(), topic));
            inbox.foundWritable(parsed);
            writable = parsed;
        }
        String subject = writable.subject();
        boolean conversation = writable.kind().equals(Topics.CONVERSATION);
        if (conversation && GroupUpdateContent.isGroupUpdate(payload)) {
            throw new PermissionDeniedException("group updates (" + ContentTypeId.GROUP_UPDATED
                    + ") are written by the node; change a group with updateGroup");
        }
        int bytes = payload.length;
        storedBytes.take(inbox, bytes);
        Appended now = null;
        CompletableFuture<Appended> appended = null;
        try { // a store that answers at once makes no future for it
            now = conversation
                    ? store.appendToConversationNow(subject, payload, idempotencyKey, inboxId)
                    : store.appendNow(topic, payload, idempotencyKey, inboxId);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e); // what its future would have failed with
        }
        if (now != null) {
            storedBytes.release(inbox, bytes);
            return CompletableFuture.completedFuture(published(now));
        }
        if (appended == null) {
            try {
                appended = conversation
                        ? store.appendToConversation(subject, payload, idempotencyKey, inboxId)
                        : store.append(topic, payload, idempotencyKey, inboxId);
            } catch (RuntimeException e) {
                storedBytes.release(inbox, bytes);
                throw e;
            }
        }
        if (appended.isDone() && !appended.isCompletedExceptionally()) {
            storedBytes.release(inbox, bytes);
            return CompletableFuture.completedFuture(published(appended.join()));
        }
        PendingPublish pending = new PendingPublish(inbox, bytes);
        appended.whenComplete(pending);
        return pending;
    }

    /**
     * A publish the store has not yet made durable: one stage on the store's future releases the quota held for
     * it and completes this future with the client's answer (the store's failure counted and mapped as
     * {@link #writing} does), instead of a chain of three stages per publish on the store's completing thread.
     */
    private final class PendingPublish extends CompletableFuture<PublishResult>
            implements BiConsumer<Appended, Throwable> {
        private final InboxAccounts.Account inbox;
        private final int bytes;

        PendingPublish(InboxAccounts.Account inbox, int bytes) {
            this.inbox = inbox;
            this.bytes = bytes;
        }

        @Override
        public void accept(Appended appended, Throwable error) {
            storedBytes.release(inbox, bytes);
            if (error != null) {
                Throwable cause = Failures.unwrap(error);
                refused(cause);
                completeExceptionally(StoreFailures.forClient(cause));
                return;
            }
            PublishResult result;
            try {
                result = published(appended);
            } catch (RuntimeException e) {
                completeExceptionally(e);
                return;
            }
            complete(result);
        }
    }

    private static void requireIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty() || idempotencyKey.length() > RequestLimits.MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new ProtocolException("idempotency key must have 1 to " + RequestLimits.MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
    }

    private static void requireName(String name) {
        if (name != null && name.length() > RequestLimits.MAX_CONVERSATION_NAME_LENGTH) {
            throw new ProtocolException("a conversation name has at most " + RequestLimits.MAX_CONVERSATION_NAME_LENGTH
                    + " characters");
        }
    }

    /**
     * At most {@code limit} envelopes, and at most one frame's worth of them (at least one when there
     * is one); of a conversation, only of what the inbox was a member for, contiguous.
     */
    public List<Envelope> query(String inboxId, String topic, long afterSequence, int limit) {
        if (limit < 1 || limit > RequestLimits.MAX_QUERY_LIMIT) {
            throw new ProtocolException("query limit must be 1.." + RequestLimits.MAX_QUERY_LIMIT + ", was " + limit);
        }
        StoreFailures.checking(() -> policy.checkRead(inboxId, topic));
        return StoreFailures.reading(() -> reads.read(inboxId, topic, Math.max(0, afterSequence), limit).envelopes());
    }

    /**
     * Completes with the new conversation's id once it and its welcomes are durable. With a non-empty
     * {@code idempotencyKey} the id is derived from the creator and the key ({@link ConversationIds}):
     * the same request again (after a lost answer, on this node or another sharing its store) completes
     * with the first conversation, finishing its welcomes if the first attempt could not.
     */
    public CompletableFuture<String> createConversation(String creatorInboxId, ConversationType type,
                                                       List<String> memberInboxIds, String name,
                                                       String idempotencyKey) {
        if (type == null || memberInboxIds == null) {
            throw new ProtocolException("conversation type and members are required");
        }
        requireName(name);
        String key = idempotencyKey == null ? "" : idempotencyKey;
        if (!key.isEmpty()) {
            requireIdempotencyKey(key);
        }
        Set<String> members = new LinkedHashSet<>();
        members.add(creatorInboxId);
        for (String member : memberInboxIds) {
            members.add(InboxIds.requireWellFormed(member));
        }
        if (type == ConversationType.DM && (members.size() != 2 || memberInboxIds.size() != 1)) {
            throw new ProtocolException("a DM has exactly one peer other than its creator");
        }
        if (members.size() > limits.maxMembersPerConversation()) {
            throw new ProtocolException("a conversation has at most " + limits.maxMembersPerConversation() + " members");
        }
        String id = key.isEmpty() ? ConversationIds.random(random) : ConversationIds.of(creatorInboxId, key);
        if (!key.isEmpty()) {
            Optional<ConversationEntry> created = StoreFailures.reading(() -> conversations.find(id));
            if (created.isPresent()) {
                return welcomed(createdBy(created.get(), creatorInboxId));
            }
        }
        takeConversationToken(creatorInboxId);
        ConversationEntry entry = new ConversationEntry(id, type, members, creatorInboxId, clock.nowNs(),
                name == null ? "" : name);
        CompletableFuture<ConversationEntry> stored = conversations.add(entry).thenApply(v -> entry);
        if (!key.isEmpty()) { // the same request, racing on another connection or node, stored it first
            stored = stored.exceptionallyCompose(e -> conversations.find(id)
                    .map(first -> CompletableFuture.completedFuture(createdBy(first, creatorInboxId)))
                    .orElseGet(() -> CompletableFuture.failedFuture(e)));
        }
        return writing(stored).thenCompose(this::welcomed);
    }

    /** {@code conversation}, when {@code creatorInboxId} created it (an idempotency key names it only for its creator). */
    private static ConversationEntry createdBy(ConversationEntry conversation, String creatorInboxId) {
        if (!conversation.creatorInboxId().equals(creatorInboxId)) {
            throw new ProtocolException("conversation id collision"); // a SHA-256 prefix of the creator and key
        }
        return conversation;
    }

    /**
     * Writes the creation welcome of each member from creation on (idempotently: once per member, a
     * repeat stores nothing); completes with the id.
     */
    private CompletableFuture<String> welcomed(ConversationEntry conversation) {
        byte[] welcome = WelcomeMessages.of(conversation, 0);
        String key = WelcomeMessages.creationKey(conversation.id());
        return writing(CompletableFuture.allOf(conversation.creationMembers().stream()
                        .map(member -> store.append(Topics.welcome(member), welcome, key, NODE_SENDER))
                        .toArray(CompletableFuture[]::new)))
                .thenApply(v -> conversation.id());
    }

    /**
     * Conversations created and group changes count against one rate per inbox.
     *
     * @throws LimitExceededException (retryable) the inbox went beyond it
     */
    private void takeConversationToken(String inboxId) {
        if (!conversationRate.tryAcquire(inboxId)) {
            throw new LimitExceededException(LimitExceededException.CONVERSATIONS_PER_MINUTE, "inbox " + inboxId
                    + " created or changed conversations faster than its limit of " + conversationRate.perMinute()
                    + " a minute (conversationsPerInboxPerMinute); retry later", true);
        }
    }

    /**
     * Changes a group's members or name as {@code inboxId}; completes with the group update's place in
     * the conversation once it (and the welcomes of added members) are durable, or, when the change
     * changes nothing, with the conversation's last sequence (nothing written). The rules are
     * {@link GroupUpdateChange}'s, applied when the store assigns the update its sequence.
     */
    public CompletableFuture<PublishResult> updateGroup(String inboxId, GroupChange change) {
        if (change == null) {
            throw new ProtocolException("group change missing");
        }
        requireIdempotencyKey(change.idempotencyKey());
        change.add().forEach(InboxIds::requireWellFormed);
        change.remove().forEach(InboxIds::requireWellFormed);
        change.newName().ifPresent(NodeOperations::requireName);
        if (change.add().size() > limits.maxMembersPerConversation()
                || change.remove().size() > limits.maxMembersPerConversation()) {
            throw new ProtocolException("a conversation has at most " + limits.maxMembersPerConversation() + " members");
        }
        if (change.add().stream().anyMatch(Set.copyOf(change.remove())::contains)) {
            throw new ProtocolException("an inbox cannot be both added and removed by one change");
        }
        String id = change.conversationId();
        ConversationEntry group = StoreFailures.reading(() -> conversations.find(id))
                .filter(c -> c.wasEverMember(inboxId))
                .orElseThrow(() -> Membership.notAMember(inboxId, id));
        GroupUpdateChange.requireGroup(group);
        takeConversationToken(inboxId);
        GroupUpdateChange update = new GroupUpdateChange(inboxId, change, limits.maxMembersPerConversation(),
                conversations);
        return writing(store.changeConversation(id, update, change.idempotencyKey(), inboxId))
                .thenApply(written -> written
                        .map(appended -> new PublishResult(appended.envelope().sequence(),
                                appended.envelope().timestampNs()))
                        .orElseGet(() -> new PublishResult(store.lastSequence(Topics.conversation(id)), clock.nowNs())));
    }

    /**
     * Opens a subscription for {@code inboxId}; {@code onTerminated} runs once when it ends for any
     * reason. When this throws, nothing was registered and {@code onTerminated} never runs.
     */
    public NodeSubscription subscribe(String inboxId, Map<String, Long> cursors, long initialDemand,
                                      Duration heartbeatInterval, SubscriptionListener listener,
                                      Runnable onTerminated) {
        if (cursors.size() > limits.maxTopicsPerSubscription()) {
            throw new ProtocolException("at most " + limits.maxTopicsPerSubscription() + " topics per subscription");
        }
        if (initialDemand < 0) {
            throw new ProtocolException("initial demand must not be negative");
        }
        // checked before anything is registered: a refused subscription leaves nothing behind
        long interval = Heartbeats.accepted(heartbeatInterval, Heartbeats.MIN).toNanos();
        HeartbeatTimer heartbeat = new HeartbeatTimer();
        NodeSubscription subscription = new NodeSubscription(store,
                (topic, after, limit) -> reads.read(inboxId, topic, after, limit), fanout, deliveryExecutor,
                limits.maxTopicsPerSubscription(), metrics,
                topic -> StoreFailures.checking(() -> policy.checkRead(inboxId, topic)), listener, () -> {
                    heartbeat.stop();
                    openSubscriptions.decrementAndGet();
                    onTerminated.run();
                });
        openSubscriptions.incrementAndGet();
        try {
            subscription.open(cursors, initialDemand);
        } catch (RuntimeException e) { // nothing registered, never terminated
            openSubscriptions.decrementAndGet();
            throw e;
        }
        metrics.subscribed(cursors);
        try {
            heartbeat.start(() -> scheduler.scheduleAtFixedRate(subscription::heartbeat, interval,
                    interval, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            subscription.fail(new TransportException("the node is shutting down", true));
        }
        return subscription;
    }

    /** A periodic task that stays stopped once stopped, even if {@code stop} comes before {@code start}. */
    private static final class HeartbeatTimer {
        private ScheduledFuture<?> task;
        private boolean stopped;

        synchronized void start(Supplier<ScheduledFuture<?>> schedule) {
            if (!stopped) {
                task = schedule.get();
            }
        }

        synchronized void stop() {
            stopped = true;
            if (task != null) {
                task.cancel(false);
            }
        }
    }
}
