package dev.parley.node.internal.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The id and last sequence of each topic as the writer thread knows them, including the batch not
 * yet committed. Messages refer to their topic by its integer id (narrow keys: cheaper to compare
 * and fewer pages per commit than the name in every key); a topic's row is made by the first
 * batch that appends to it. Only the writer thread uses it. After a failed batch, {@link #forget}
 * drops what the batch assigned (and topics it made), so the next batch reads the committed values
 * again.
 */
final class TopicSequences implements AutoCloseable {
    private final Map<String, Topic> known = new HashMap<>();
    private final Map<String, Topic> touched = new LinkedHashMap<>();
    private final PreparedStatement select;
    private final PreparedStatement insert;
    private final PreparedStatement update;

    /** A topic's id and its last sequence (committed, or assigned by the open batch). */
    static final class Topic {
        final long id;
        long last;

        Topic(long id, long last) {
            this.id = id;
            this.last = last;
        }
    }

    TopicSequences(Connection writer) throws SQLException {
        this.select = writer.prepareStatement("SELECT id, last_seq FROM topics WHERE name = ?");
        this.insert = writer.prepareStatement("INSERT INTO topics (name, last_seq) VALUES (?, 0)");
        this.update = writer.prepareStatement("UPDATE topics SET last_seq = ? WHERE id = ?");
    }

    /** {@code topic}, made if new; its next sequence is counted as used by this batch. */
    Topic next(String topic) throws SQLException {
        Topic t = known.get(topic);
        if (t == null) {
            t = load(topic);
            known.put(topic, t);
        }
        t.last++;
        touched.put(topic, t);
        return t;
    }

    /** {@code topic} if stored (or made by this batch), else null; nothing is counted as used. */
    Topic existing(String topic) throws SQLException {
        Topic t = known.get(topic);
        if (t == null) {
            t = select(topic);
            if (t != null) {
                known.put(topic, t);
            }
        }
        return t;
    }

    /** The sequence {@link #next} gave for {@code topic} was not used after all (its key was stored before). */
    void giveBack(Topic topic) {
        topic.last--;
    }

    /** Writes this batch's last sequences so far (once per topic); part of the batch's transaction. */
    void flush() throws SQLException {
        for (Topic t : touched.values()) {
            update.setLong(1, t.last);
            update.setLong(2, t.id);
            update.executeUpdate();
        }
    }

    /** The batch committed: what it assigned is now the stored state. */
    void committed() {
        touched.clear();
    }

    /** The batch was rolled back: what it assigned (and the topics it made) never happened. */
    void forget() {
        touched.keySet().forEach(known::remove);
        touched.clear();
    }

    private Topic load(String topic) throws SQLException {
        Topic stored = select(topic);
        if (stored != null) {
            return stored;
        }
        insert.setString(1, topic);
        insert.executeUpdate();
        stored = select(topic);
        if (stored == null) {
            throw new SQLException("topic " + topic + " was not stored");
        }
        return stored;
    }

    private Topic select(String topic) throws SQLException {
        select.setString(1, topic);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? new Topic(rs.getLong(1), rs.getLong(2)) : null;
        }
    }

    @Override
    public void close() {
        Sql.closeQuietly(select);
        Sql.closeQuietly(insert);
        Sql.closeQuietly(update);
    }
}
