package dev.parley.node.internal.store;

import dev.parley.internal.Topics;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.AppendListener;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.spi.Envelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;

/** {@code memory:}: everything in this JVM, gone with it; a new epoch every time. For tests and demos. */
final class MemoryNodeStore implements NodeStore {
    private final String epoch = UUID.randomUUID().toString();
    private final NodeClock clock;
    private final ConcurrentMap<String, MemoryTopicLog> logs = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, StoredConversation> conversations = new ConcurrentHashMap<>();
    private final SenderBytes bytes = new SenderBytes();
    private volatile AppendListener appended = (topic, sequence) -> { };

    /**
     * A conversation's entry, replaced by changes under its log's lock, beside that log (found once per
     * append); its members are the writers of that log.
     */
    private static final class StoredConversation implements MemoryTopicLog.Writers {
        final MemoryTopicLog log;
        volatile ConversationEntry entry;

        StoredConversation(MemoryTopicLog log, ConversationEntry entry) {
            this.log = log;
            this.entry = entry;
        }

        @Override
        public void check(String senderInboxId) {
            if (!entry.isMember(senderInboxId)) {
                throw Membership.notAMember(senderInboxId, entry.id());
            }
        }
    }

    MemoryNodeStore() {
        this(new NodeClock());
    }

    /** With {@code clock} for timestamps and retention by age (tests move it by hand). */
    MemoryNodeStore(NodeClock clock) {
        this.clock = clock;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey,
                                              String senderInboxId) {
        return CompletableFuture.completedFuture(appendNow(topic, payload, idempotencyKey, senderInboxId));
    }

    @Override
    public Appended appendNow(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        Appended result = logs.computeIfAbsent(topic, MemoryTopicLog::new)
                .append(payload, idempotencyKey, senderInboxId, clock, bytes);
        reportIfNew(result);
        return result;
    }

    @Override
    public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload,
                                                            String idempotencyKey, String senderInboxId) {
        try {
            return CompletableFuture.completedFuture(
                    appendToConversationNow(conversationId, payload, idempotencyKey, senderInboxId));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Appended appendToConversationNow(String conversationId, byte[] payload, String idempotencyKey,
                                            String senderInboxId) {
        StoredConversation conversation = conversations.get(conversationId);
        if (conversation == null) {
            throw Membership.notAMember(senderInboxId, conversationId);
        }
        Appended result = conversation.log.appendFrom(conversation, payload, idempotencyKey, senderInboxId, clock, bytes);
        reportIfNew(result);
        return result;
    }

    /**
     * Under the conversation's log lock (which every append to it takes): the change is applied, the
     * conversation replaced and the side entries appended before its own entry is, so no reader sees
     * the entry before the conversation it made.
     */
    @Override
    public CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                                    String idempotencyKey, String senderInboxId) {
        StoredConversation conversation = conversations.get(conversationId);
        if (conversation == null) {
            return CompletableFuture.failedFuture(Membership.notAMember(senderInboxId, conversationId));
        }
        List<Appended> side = new ArrayList<>();
        boolean[] applied = {false};
        try {
            Optional<Appended> result = Optional.ofNullable(conversation.log
                    .appendDecided(idempotencyKey, senderInboxId, clock, bytes, sequence -> {
                        Optional<ConversationChange.Outcome> outcome = change.apply(conversation.entry, sequence);
                        if (outcome.isEmpty()) {
                            return null;
                        }
                        applied[0] = true;
                        conversation.entry = outcome.get().next();
                        for (ConversationChange.SideEntry e : outcome.get().alongside()) {
                            side.add(logs.computeIfAbsent(e.topic(), MemoryTopicLog::new)
                                    .append(e.payload(), e.idempotencyKey(), e.senderInboxId(), clock, bytes));
                        }
                        return outcome.get().payload();
                    }));
            if (applied[0]) {
                change.settled(true);
            }
            side.forEach(this::reportIfNew);
            result.ifPresent(this::reportIfNew);
            return CompletableFuture.completedFuture(result);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void reportIfNew(Appended result) {
        if (result.isNew()) {
            appended.appended(result.envelope().topic(), result.envelope().sequence());
        }
    }

    @Override
    public List<Envelope> read(String topic, long afterSequence, int limit) {
        MemoryTopicLog log = logs.get(topic);
        return log == null ? List.of() : log.read(afterSequence, limit);
    }

    @Override
    public long lastSequence(String topic) {
        MemoryTopicLog log = logs.get(topic);
        return log == null ? 0 : log.lastSequence();
    }

    @Override
    public long firstRetained(String topic) {
        MemoryTopicLog log = logs.get(topic);
        return log == null ? 1 : log.firstRetained();
    }

    @Override
    public long trim(Retention retention) {
        long oldestKept = retention.maxAge().map(age -> clock.nowNs() - age.toNanos()).orElse(Long.MIN_VALUE);
        long maxCount = retention.maxPerTopic().orElse(Long.MAX_VALUE);
        return logs.values().stream().mapToLong(log -> log.trim(oldestKept, maxCount, bytes)).sum();
    }

    @Override
    public long storedBytes(String senderInboxId) {
        return bytes.of(senderInboxId);
    }

    @Override
    public CompletableFuture<Void> putConversation(ConversationEntry conversation) {
        MemoryTopicLog log = logs.computeIfAbsent(Topics.conversation(conversation.id()), MemoryTopicLog::new);
        if (conversations.putIfAbsent(conversation.id(), new StoredConversation(log, conversation)) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("conversation id collision " + conversation.id()));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<ConversationEntry> conversation(String id) {
        StoredConversation conversation = conversations.get(id);
        return conversation == null ? Optional.empty() : Optional.of(conversation.entry);
    }

    @Override
    public void onAppended(BiConsumer<String, Long> listener) {
        this.appended = listener::accept;
    }

    @Override
    public void onAppendedSequence(AppendListener listener) {
        this.appended = listener;
    }

    @Override
    public void close() {
        // nothing to flush
    }
}
