package dev.parley.node.internal.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last sequence of each topic as the writer thread knows it, including the batch not yet
 * committed. Only the writer thread uses it. After a failed batch, {@link #forget} drops what the
 * batch assigned, so the next batch reads the committed values again.
 */
final class TopicSequences implements AutoCloseable {
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Long> touched = new LinkedHashMap<>();
    private final PreparedStatement select;
    private final PreparedStatement upsert;

    TopicSequences(Connection writer) throws SQLException {
        this.select = writer.prepareStatement("SELECT last_seq FROM topics WHERE name = ?");
        this.upsert = writer.prepareStatement("INSERT INTO topics (name, last_seq) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq");
    }

    /** The next sequence of {@code topic}, counted as used by this batch. */
    long next(String topic) throws SQLException {
        Long known = last.get(topic);
        long next = (known != null ? known : load(topic)) + 1;
        last.put(topic, next);
        touched.put(topic, next);
        return next;
    }

    /** The sequence {@link #next} gave for {@code topic} was not used after all (its key was stored before). */
    void giveBack(String topic) {
        long previous = last.get(topic) - 1;
        last.put(topic, previous);
        touched.put(topic, previous);
    }

    /** Writes this batch's last sequences so far; part of the batch's transaction. */
    void flush() throws SQLException {
        for (Map.Entry<String, Long> e : touched.entrySet()) {
            upsert.setString(1, e.getKey());
            upsert.setLong(2, e.getValue());
            upsert.executeUpdate();
        }
    }

    /** The batch committed: what it assigned is now the stored state. */
    void committed() {
        touched.clear();
    }

    /** The batch was rolled back: what it assigned never happened. */
    void forget() {
        touched.keySet().forEach(last::remove);
        touched.clear();
    }

    private long load(String topic) throws SQLException {
        select.setString(1, topic);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public void close() {
        Sql.closeQuietly(select);
        Sql.closeQuietly(upsert);
    }
}
