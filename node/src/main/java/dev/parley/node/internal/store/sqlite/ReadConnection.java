package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.ConversationEntry;
import dev.parley.spi.Envelope;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One read-only connection with its prepared queries; used by one thread at a time (see {@link ReadPool}). */
final class ReadConnection implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement read;
    private final PreparedStatement lastSequence;
    private final PreparedStatement retained;
    private final ConversationQueries conversations;

    ReadConnection(Path database) throws SQLException {
        this.c = SqliteConnections.reader(database);
        try {
            this.read = c.prepareStatement("SELECT seq, ts, payload, idem_key, sender FROM messages"
                    + " WHERE topic = (SELECT id FROM topics WHERE name = ?) AND seq > ? ORDER BY seq LIMIT ?");
            this.lastSequence = c.prepareStatement("SELECT last_seq FROM topics WHERE name = ?");
            this.retained = c.prepareStatement("SELECT (SELECT min(seq) FROM messages"
                    + " WHERE topic = (SELECT id FROM topics WHERE name = ?)),"
                    + " (SELECT last_seq FROM topics WHERE name = ?)");
            this.conversations = new ConversationQueries(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    List<Envelope> read(String topic, long afterSequence, int limit) throws SQLException {
        read.setString(1, topic);
        read.setLong(2, afterSequence);
        read.setInt(3, limit);
        List<Envelope> entries = new ArrayList<>();
        try (ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                entries.add(new Envelope(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return entries;
    }

    long lastSequence(String topic) throws SQLException {
        lastSequence.setString(1, topic);
        try (ResultSet rs = lastSequence.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    long firstRetained(String topic) throws SQLException {
        retained.setString(1, topic);
        retained.setString(2, topic);
        try (ResultSet rs = retained.executeQuery()) {
            rs.next();
            long first = rs.getLong(1);
            return rs.wasNull() ? rs.getLong(2) + 1 : first;
        }
    }

    Optional<ConversationEntry> conversation(String id) throws SQLException {
        return conversations.load(id);
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
