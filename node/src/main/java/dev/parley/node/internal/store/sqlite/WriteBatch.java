package dev.parley.node.internal.store.sqlite;

import dev.parley.internal.Topics;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.Membership;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.spi.Envelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The writes of one transaction on the writer connection: appends (sequence, timestamp and
 * idempotency; to a conversation only by its members), conversations and their changes, and trims. Only the writer thread uses it; statements are prepared
 * once and reused by every batch.
 */
final class WriteBatch implements AutoCloseable {
    private final Connection c;
    private final NodeClock clock;
    private final Consumer<Envelope> assigned;
    private final TopicSequences sequences;
    private final List<Envelope> appended = new ArrayList<>();
    /** Payload bytes per sender this transaction added (appends) or removed (trims), written at commit. */
    private final Map<String, Long> byteChanges = new HashMap<>();
    private final PreparedStatement insertMessage;
    private final PreparedStatement selectByKey;
    private final PreparedStatement selectByTopicKey;
    private final ConversationRows conversations;
    private final PreparedStatement allTopics;
    private final PreparedStatement firstKeptByAge;
    private final PreparedStatement topicsOver;
    private final PreparedStatement bytesOfTopic;
    private final PreparedStatement trimTopic;
    private final PreparedStatement addSenderBytes;
    private final PreparedStatement dropEmptySender;
    private final Statement transaction;

    /** {@code assigned} hears of each new entry when its sequence is assigned, before its commit. */
    WriteBatch(Connection writer, NodeClock clock, Consumer<Envelope> assigned) throws SQLException {
        this.c = writer;
        this.clock = clock;
        this.assigned = assigned;
        this.sequences = new TopicSequences(writer);
        this.insertMessage = c.prepareStatement("INSERT INTO messages (topic, seq, ts, sender, idem_key, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, idem_key) DO NOTHING");
        this.selectByKey = c.prepareStatement("SELECT seq, ts, sender, payload FROM messages"
                + " WHERE topic = ? AND idem_key = ?");
        this.selectByTopicKey = c.prepareStatement("SELECT seq, ts, sender, payload FROM messages"
                + " WHERE topic = (SELECT id FROM topics WHERE name = ?) AND idem_key = ?");
        this.conversations = new ConversationRows(writer);
        this.allTopics = c.prepareStatement("SELECT id, last_seq FROM topics");
        // through the primary key, in sequence order, stopping at the first entry young enough
        this.firstKeptByAge = c.prepareStatement("SELECT seq FROM messages WHERE topic = ? AND ts >= ?"
                + " ORDER BY seq LIMIT 1");
        this.topicsOver = c.prepareStatement("SELECT id, last_seq FROM topics WHERE last_seq > ?");
        this.bytesOfTopic = c.prepareStatement("SELECT sender, sum(length(payload)) FROM messages"
                + " WHERE topic = ? AND seq <= ? GROUP BY sender");
        this.trimTopic = c.prepareStatement("DELETE FROM messages WHERE topic = ? AND seq <= ?");
        this.addSenderBytes = c.prepareStatement("INSERT INTO sender_bytes (sender, bytes) VALUES (?, ?)"
                + " ON CONFLICT (sender) DO UPDATE SET bytes = bytes + excluded.bytes");
        this.dropEmptySender = c.prepareStatement("DELETE FROM sender_bytes WHERE sender = ? AND bytes <= 0");
        this.transaction = c.createStatement();
    }

    /**
     * Starts the batch's transaction. Transactions are plain SQL (the connection stays in auto-commit
     * mode): SQLite itself rolls back a transaction a full disk broke, and the driver's own
     * bookkeeping would then be wrong.
     */
    void begin() throws SQLException {
        transaction.execute("BEGIN IMMEDIATE");
    }

    /** The next entry of {@code topic}, or the one stored before under {@code key}. */
    Appended append(String topic, byte[] payload, String key, String sender) throws SQLException {
        TopicSequences.Topic t = sequences.next(topic);
        Envelope envelope = insert(t, topic, payload, key, sender);
        if (envelope != null) {
            return new Appended(envelope, true);
        }
        sequences.giveBack(t);
        selectByKey.setLong(1, t.id);
        selectByKey.setString(2, key);
        return storedBy(selectByKey, topic, key)
                .orElseThrow(() -> new SQLException("idempotency key conflict on " + topic + " but no entry with key " + key));
    }

    /**
     * The next entry of conversation {@code conversationId} if {@code sender} is a member as of this
     * batch, or the one stored before under {@code key}.
     *
     * @throws dev.parley.PermissionDeniedException the sender is not a member and the key is new (refuses this write only)
     */
    Appended appendToConversation(String conversationId, byte[] payload, String key, String sender) throws SQLException {
        String topic = Topics.conversation(conversationId);
        if (conversations.current(conversationId).map(c -> c.isMember(sender)).orElse(false)) {
            return append(topic, payload, key, sender);
        }
        return stored(topic, key).orElseThrow(() -> Membership.notAMember(sender, conversationId));
    }

    /**
     * Applies {@code change} at the conversation's next sequence (see
     * {@link dev.parley.node.store.NodeStore#changeConversation}); what it throws refuses this write only,
     * as nothing was written before it returned.
     */
    Optional<Appended> changeConversation(String conversationId, ConversationChange change, String key, String sender)
            throws SQLException {
        String topic = Topics.conversation(conversationId);
        Optional<Appended> earlier = stored(topic, key);
        if (earlier.isPresent()) {
            return earlier;
        }
        ConversationEntry current = conversations.current(conversationId)
                .orElseThrow(() -> Membership.notAMember(sender, conversationId));
        TopicSequences.Topic t = sequences.next(topic);
        Optional<ConversationChange.Outcome> outcome;
        try {
            outcome = change.apply(current, t.last);
        } catch (RuntimeException e) {
            sequences.giveBack(t);
            throw e;
        }
        if (outcome.isEmpty()) {
            sequences.giveBack(t);
            return Optional.empty();
        }
        for (ConversationChange.SideEntry side : outcome.get().alongside()) {
            append(side.topic(), side.payload(), side.idempotencyKey(), side.senderInboxId());
        }
        conversations.change(current, outcome.get().next());
        Envelope envelope = insert(t, topic, outcome.get().payload(), key, sender);
        if (envelope == null) { // the key was checked above: the transaction is broken
            throw new SQLException("idempotency key " + key + " of " + topic + " appeared during its change");
        }
        return Optional.of(new Appended(envelope, true));
    }

    /** Inserts the entry at {@code t}'s sequence just assigned; null when {@code key} is stored on the topic already. */
    private Envelope insert(TopicSequences.Topic t, String topic, byte[] payload, String key, String sender)
            throws SQLException {
        long seq = t.last;
        long ts = clock.nowNs();
        insertMessage.setLong(1, t.id);
        insertMessage.setLong(2, seq);
        insertMessage.setLong(3, ts);
        insertMessage.setString(4, sender);
        insertMessage.setString(5, key);
        insertMessage.setBytes(6, payload);
        if (insertMessage.executeUpdate() != 1) {
            return null;
        }
        Envelope envelope = new Envelope(topic, seq, ts, payload, key, sender);
        assigned.accept(envelope);
        appended.add(envelope);
        byteChanges.merge(sender, (long) payload.length, Long::sum);
        return envelope;
    }

    /** The entry stored on {@code topic} under {@code key} (committed or of this batch). */
    private Optional<Appended> stored(String topic, String key) throws SQLException {
        selectByTopicKey.setString(1, topic);
        selectByTopicKey.setString(2, key);
        return storedBy(selectByTopicKey, topic, key);
    }

    private static Optional<Appended> storedBy(PreparedStatement query, String topic, String key) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Appended(new Envelope(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(4), key,
                    rs.getString(3)), false));
        }
    }

    /** @throws IllegalStateException a conversation with that id exists (refuses this write only) */
    Void putConversation(ConversationEntry conversation) throws SQLException {
        if (conversations.current(conversation.id()).isPresent()) {
            throw new IllegalStateException("conversation id collision " + conversation.id());
        }
        conversations.create(conversation);
        return null;
    }

    /** What a trim removed: how many entries, and their payload bytes per sender. */
    record Trimmed(long removed, Map<String, Long> freedBySender) {
    }

    /**
     * Removes entries stamped before {@code oldestKeptNs} and all but the newest {@code maxCount} of each
     * topic. Both are a prefix of each topic by sequence (the clock stamping entries only rises), so each
     * topic loses everything up to one sequence, found through the primary key: the last over the count,
     * or the last before the first entry young enough. A topic's retained entries stay one range.
     */
    Trimmed trim(long oldestKeptNs, long maxCount) throws SQLException {
        sequences.flush(); // count from this batch's last sequences too
        Map<Long, Long> lastRemoved = new HashMap<>();
        if (maxCount != Long.MAX_VALUE) {
            topicsOver.setLong(1, maxCount);
            try (ResultSet rs = topicsOver.executeQuery()) {
                while (rs.next()) {
                    lastRemoved.put(rs.getLong(1), rs.getLong(2) - maxCount);
                }
            }
        }
        if (oldestKeptNs != Long.MIN_VALUE) {
            Map<Long, Long> lastSequences = new HashMap<>();
            try (ResultSet rs = allTopics.executeQuery()) {
                while (rs.next()) {
                    lastSequences.put(rs.getLong(1), rs.getLong(2));
                }
            }
            for (Map.Entry<Long, Long> topic : lastSequences.entrySet()) {
                lastRemoved.merge(topic.getKey(), lastBefore(topic.getKey(), topic.getValue(), oldestKeptNs), Math::max);
            }
        }
        long removed = 0;
        Map<String, Long> freed = new HashMap<>();
        for (Map.Entry<Long, Long> topic : lastRemoved.entrySet()) {
            bytesOfTopic.setLong(1, topic.getKey());
            bytesOfTopic.setLong(2, topic.getValue());
            sumBySender(bytesOfTopic, freed);
            trimTopic.setLong(1, topic.getKey());
            trimTopic.setLong(2, topic.getValue());
            removed += trimTopic.executeUpdate();
        }
        freed.forEach((sender, bytes) -> byteChanges.merge(sender, -bytes, Long::sum));
        return new Trimmed(removed, freed);
    }

    /** The last sequence of {@code topic} stamped before {@code oldestKeptNs} ({@code last} when all are). */
    private long lastBefore(long topic, long last, long oldestKeptNs) throws SQLException {
        firstKeptByAge.setLong(1, topic);
        firstKeptByAge.setLong(2, oldestKeptNs);
        try (ResultSet rs = firstKeptByAge.executeQuery()) {
            return rs.next() ? rs.getLong(1) - 1 : last;
        }
    }

    /** Writes this transaction's changes of the bytes per sender (one row each), dropping senders left with none. */
    private void writeSenderBytes() throws SQLException {
        for (Map.Entry<String, Long> change : byteChanges.entrySet()) {
            if (change.getValue() == 0) {
                continue;
            }
            addSenderBytes.setString(1, change.getKey());
            addSenderBytes.setLong(2, change.getValue());
            addSenderBytes.executeUpdate();
            if (change.getValue() < 0) {
                dropEmptySender.setString(1, change.getKey());
                dropEmptySender.executeUpdate();
            }
        }
        byteChanges.clear();
    }

    /** Adds the (sender, bytes) rows {@code query} gives to {@code totals}. */
    static void sumBySender(PreparedStatement query, Map<String, Long> totals) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                totals.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
    }

    /** The writer connection, for tests that inject faults (e.g. {@code PRAGMA max_page_count}). */
    Connection connection() {
        return c;
    }

    /** Commits; returns the new entries, in order. */
    List<Envelope> commit() throws SQLException {
        sequences.flush();
        writeSenderBytes();
        transaction.execute("COMMIT");
        sequences.committed();
        conversations.committed();
        List<Envelope> done = List.copyOf(appended);
        appended.clear();
        return done;
    }

    /**
     * Undoes everything since the last commit. The driver may have finalized a statement that
     * failed, so the writer closes this batch and prepares a new one.
     */
    void rollback() {
        appended.clear();
        byteChanges.clear();
        sequences.forget();
        conversations.forget();
        try {
            transaction.execute("ROLLBACK");
        } catch (SQLException e) {
            // none was open any more: SQLite rolled it back itself
        }
    }

    /** Closes the prepared statements (not the connection). */
    @Override
    public void close() {
        for (PreparedStatement s : List.of(insertMessage, selectByKey, selectByTopicKey, allTopics, firstKeptByAge, topicsOver, bytesOfTopic, trimTopic, addSenderBytes, dropEmptySender)) {
            Sql.closeQuietly(s);
        }
        Sql.closeQuietly(transaction);
        sequences.close();
        conversations.close();
    }
}
