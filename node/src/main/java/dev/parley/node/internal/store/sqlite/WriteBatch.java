package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.Appended;
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

/**
 * The writes of one transaction on the writer connection: appends (sequence, timestamp and
 * idempotency), conversations and trims. Only the writer thread uses it; statements are prepared
 * once and reused by every batch.
 */
final class WriteBatch implements AutoCloseable {
    private final Connection c;
    private final NodeClock clock;
    private final TopicSequences sequences;
    private final List<Envelope> appended = new ArrayList<>();
    /** Payload bytes per sender this transaction added (appends) or removed (trims), written at commit. */
    private final Map<String, Long> byteChanges = new HashMap<>();
    private final PreparedStatement insertMessage;
    private final PreparedStatement selectByKey;
    private final PreparedStatement conversationExists;
    private final PreparedStatement insertConversation;
    private final PreparedStatement insertMember;
    private final PreparedStatement bytesByAge;
    private final PreparedStatement trimByAge;
    private final PreparedStatement topicsOver;
    private final PreparedStatement bytesOfTopic;
    private final PreparedStatement trimTopic;
    private final PreparedStatement addSenderBytes;
    private final PreparedStatement dropEmptySender;
    private final Statement transaction;

    WriteBatch(Connection writer, NodeClock clock) throws SQLException {
        this.c = writer;
        this.clock = clock;
        this.sequences = new TopicSequences(writer);
        this.insertMessage = c.prepareStatement("INSERT INTO messages (topic, seq, ts, sender, idem_key, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, idem_key) DO NOTHING");
        this.selectByKey = c.prepareStatement("SELECT seq, ts, sender, payload FROM messages"
                + " WHERE topic = ? AND idem_key = ?");
        this.conversationExists = c.prepareStatement("SELECT 1 FROM conversations WHERE id = ?");
        this.insertConversation = c.prepareStatement("INSERT INTO conversations (id, type, creator, created_ns, name)"
                + " VALUES (?, ?, ?, ?, ?)");
        this.insertMember = c.prepareStatement("INSERT INTO members (conversation_id, inbox_id) VALUES (?, ?)");
        this.bytesByAge = c.prepareStatement("SELECT sender, sum(length(payload)) FROM messages WHERE ts < ?"
                + " GROUP BY sender");
        this.trimByAge = c.prepareStatement("DELETE FROM messages WHERE ts < ?");
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
        long seq = t.last;
        long ts = clock.nowNs();
        insertMessage.setLong(1, t.id);
        insertMessage.setLong(2, seq);
        insertMessage.setLong(3, ts);
        insertMessage.setString(4, sender);
        insertMessage.setString(5, key);
        insertMessage.setBytes(6, payload);
        if (insertMessage.executeUpdate() == 1) {
            Envelope envelope = new Envelope(topic, seq, ts, payload, key, sender);
            appended.add(envelope);
            byteChanges.merge(sender, (long) payload.length, Long::sum);
            return new Appended(envelope, true);
        }
        sequences.giveBack(t);
        selectByKey.setLong(1, t.id);
        selectByKey.setString(2, key);
        try (ResultSet rs = selectByKey.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("idempotency key conflict on " + topic + " but no entry with key " + key);
            }
            return new Appended(new Envelope(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(4), key, rs.getString(3)),
                    false);
        }
    }

    /** @throws IllegalStateException a conversation with that id exists (refuses this write only) */
    Void putConversation(ConversationEntry conversation) throws SQLException {
        conversationExists.setString(1, conversation.id());
        try (ResultSet rs = conversationExists.executeQuery()) {
            if (rs.next()) {
                throw new IllegalStateException("conversation id collision " + conversation.id());
            }
        }
        insertConversation.setString(1, conversation.id());
        insertConversation.setString(2, conversation.type().name());
        insertConversation.setString(3, conversation.creatorInboxId());
        insertConversation.setLong(4, conversation.createdAtNs());
        insertConversation.setString(5, conversation.name());
        insertConversation.executeUpdate();
        for (String member : conversation.sortedMembers()) {
            insertMember.setString(1, conversation.id());
            insertMember.setString(2, member);
            insertMember.executeUpdate();
        }
        return null;
    }

    /** What a trim removed: how many entries, and their payload bytes per sender. */
    record Trimmed(long removed, Map<String, Long> freedBySender) {
    }

    /** Removes entries stamped before {@code oldestKeptNs} and all but the newest {@code maxCount} of each topic. */
    Trimmed trim(long oldestKeptNs, long maxCount) throws SQLException {
        sequences.flush(); // count from this batch's last sequences too
        long removed = 0;
        Map<String, Long> freed = new HashMap<>();
        if (oldestKeptNs != Long.MIN_VALUE) {
            bytesByAge.setLong(1, oldestKeptNs);
            sumBySender(bytesByAge, freed);
            trimByAge.setLong(1, oldestKeptNs);
            removed += trimByAge.executeUpdate();
        }
        if (maxCount != Long.MAX_VALUE) {
            Map<Long, Long> over = new HashMap<>();
            topicsOver.setLong(1, maxCount);
            try (ResultSet rs = topicsOver.executeQuery()) {
                while (rs.next()) {
                    over.put(rs.getLong(1), rs.getLong(2));
                }
            }
            for (Map.Entry<Long, Long> topic : over.entrySet()) {
                bytesOfTopic.setLong(1, topic.getKey());
                bytesOfTopic.setLong(2, topic.getValue() - maxCount);
                sumBySender(bytesOfTopic, freed);
                trimTopic.setLong(1, topic.getKey());
                trimTopic.setLong(2, topic.getValue() - maxCount);
                removed += trimTopic.executeUpdate();
            }
        }
        freed.forEach((sender, bytes) -> byteChanges.merge(sender, -bytes, Long::sum));
        return new Trimmed(removed, freed);
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
        try {
            transaction.execute("ROLLBACK");
        } catch (SQLException e) {
            // none was open any more: SQLite rolled it back itself
        }
    }

    /** Closes the prepared statements (not the connection). */
    @Override
    public void close() {
        for (PreparedStatement s : List.of(insertMessage, selectByKey, conversationExists, insertConversation,
                insertMember, bytesByAge, trimByAge, topicsOver, bytesOfTopic, trimTopic, addSenderBytes, dropEmptySender)) {
            Sql.closeQuietly(s);
        }
        Sql.closeQuietly(transaction);
        sequences.close();
    }
}
