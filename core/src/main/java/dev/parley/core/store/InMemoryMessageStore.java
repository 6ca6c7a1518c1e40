package dev.parley.core.store;

import dev.parley.ConsentRecord;
import dev.parley.DecodedMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The store used when no {@code dbPath} is given: everything in memory, gone on close. */
public final class InMemoryMessageStore implements MessageStore {
    private final Map<String, ConversationRecord> conversations = new LinkedHashMap<>();
    private final Map<String, ConsentRecord> consent = new HashMap<>();
    private final Map<String, TreeMap<Long, DecodedMessage>> messages = new HashMap<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private String nodeEpoch;

    @Override
    public synchronized boolean putConversation(ConversationRecord conversation) {
        return conversations.putIfAbsent(conversation.id(), conversation) == null;
    }

    @Override
    public synchronized Optional<ConversationRecord> conversation(String id) {
        return Optional.ofNullable(conversations.get(id));
    }

    @Override
    public synchronized List<ConversationRecord> conversations() {
        List<ConversationRecord> all = new ArrayList<>(conversations.values());
        all.sort(Comparator.comparingLong(ConversationRecord::createdAtNs));
        return all;
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
        return messages.computeIfAbsent(message.conversationId(), id -> new TreeMap<>())
                .putIfAbsent(sequence, message) == null;
    }

    @Override
    public synchronized List<DecodedMessage> messages(String conversationId) {
        TreeMap<Long, DecodedMessage> stored = messages.get(conversationId);
        return stored == null ? List.of() : List.copyOf(stored.values());
    }

    @Override
    public synchronized long cursor(String topic) {
        return cursors.getOrDefault(topic, 0L);
    }

    @Override
    public synchronized void advanceCursor(String topic, long sequence) {
        cursors.merge(topic, sequence, Math::max);
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
        conversations.clear();
        messages.clear();
        cursors.clear();
        return true;
    }

    @Override
    public synchronized void close() {
        conversations.clear();
        consent.clear();
        messages.clear();
        cursors.clear();
    }
}
