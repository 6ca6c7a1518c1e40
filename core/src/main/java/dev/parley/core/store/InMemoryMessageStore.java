package dev.parley.core.store;

import dev.parley.ConsentRecord;
import dev.parley.DecodedMessage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store used when no {@code dbPath} is given: everything in memory, gone on close. Messages
 * are a cache of at most {@code cap} per conversation (the latest); the rest of the client's
 * state grows with conversations and topics, not with messages.
 */
public final class InMemoryMessageStore implements MessageStore {
    private final Conversations conversations = new Conversations();
    private final Map<String, ConsentRecord> consent = new HashMap<>();
    private final Map<String, MessageCache> messages = new HashMap<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, Map<String, Long>> durableCursors = new HashMap<>();
    private final int cap;
    private String nodeEpoch;
    private long generation; // of the node history followed; raised by adoptEpoch
    private final ThreadLocal<long[]> open = new ThreadLocal<>(); // the thread's transaction: generation, depth

    /** @param cap messages kept per conversation, more than 0 */
    public InMemoryMessageStore(int cap) {
        if (cap <= 0) {
            throw new IllegalArgumentException("cap must be > 0, was " + cap);
        }
        this.cap = cap;
    }

    @Override
    public void inTransaction(String epoch, Runnable writes) {
        long[] transaction = open.get();
        if (transaction == null) {
            transaction = new long[] {generationOf(epoch), 0};
            open.set(transaction);
        }
        transaction[1]++;
        try {
            writes.run();
        } finally {
            if (--transaction[1] == 0) {
                open.remove();
            }
        }
    }

    private synchronized long generationOf(String epoch) {
        return epoch.equals(nodeEpoch == null ? "" : nodeEpoch) ? generation : -1;
    }

    /** False inside a transaction of a history this store no longer follows (its writes are dropped). */
    private boolean ofCurrentHistory() {
        long[] transaction = open.get();
        return transaction == null || transaction[0] == generation;
    }

    @Override
    public synchronized boolean putConversation(ConversationRecord conversation) {
        return ofCurrentHistory() && conversations.put(conversation);
    }

    @Override
    public synchronized Optional<ConversationRecord> conversation(String id) {
        return conversations.get(id);
    }

    @Override
    public synchronized List<ConversationRecord> conversations() {
        return conversations.all();
    }

    @Override
    public synchronized void putConsent(ConsentRecord record) {
        consent.merge(record.conversationId(), record,
                (old, fresh) -> fresh.updatedAtNs() >= old.updatedAtNs() ? fresh : old);
    }

    @Override
    public synchronized Optional<ConsentRecord> consent(String conversationId) {
        return Optional.ofNullable(consent.get(conversationId));
    }

    @Override
    public synchronized boolean putMessage(DecodedMessage message, long sequence) {
        if (!ofCurrentHistory()) {
            return false;
        }
        MessageCache cache = messages.get(message.conversationId()); // no capturing function per message
        if (cache == null) {
            cache = new MessageCache(message.conversationId(), cap);
            messages.put(message.conversationId(), cache);
        }
        return cache.put(message, sequence);
    }

    @Override
    public synchronized List<DecodedMessage> messages(String conversationId) {
        MessageCache cached = messages.get(conversationId);
        return cached == null ? List.of() : cached.all();
    }

    @Override
    public synchronized long cursor(String topic) {
        return cursors.getOrDefault(topic, 0L);
    }

    @Override
    public synchronized void advanceCursor(String topic, long sequence) {
        if (ofCurrentHistory()) {
            cursors.merge(topic, sequence, Math::max);
        }
    }

    @Override
    public synchronized Map<String, Long> durableCursors(String stream) {
        return Map.copyOf(durableCursors.getOrDefault(stream, Map.of()));
    }

    @Override
    public synchronized void advanceDurableCursor(String stream, String topic, long sequence) {
        if (ofCurrentHistory()) {
            durableCursors.computeIfAbsent(stream, s -> new HashMap<>()).merge(topic, sequence, Math::max);
        }
    }

    @Override
    public synchronized Optional<String> nodeEpoch() {
        return Optional.ofNullable(nodeEpoch);
    }

    @Override
    public synchronized boolean adoptEpoch(String epoch) {
        String previous = nodeEpoch;
        nodeEpoch = epoch;
        if (previous == null || previous.equals(epoch)) {
            return false;
        }
        generation++;
        conversations.clear();
        messages.clear();
        cursors.clear();
        durableCursors.clear();
        return true;
    }

    @Override
    public synchronized void close() {
        conversations.clear();
        consent.clear();
        messages.clear();
        cursors.clear();
        durableCursors.clear();
    }
}
