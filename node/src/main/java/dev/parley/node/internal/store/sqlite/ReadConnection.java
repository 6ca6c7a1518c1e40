package dev.parley.node.internal.store.sqlite;

import dev.parley.ConversationType;
import dev.parley.node.store.ConversationEntry;
import dev.parley.spi.Envelope;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One read-only connection with its prepared queries; used by one thread at a time (see {@link ReadPool}). */
final class ReadConnection implements AutoCloseable {
    private final Connection c;
    private final PreparedStatement read;
    private final PreparedStatement lastSequence;
    private final PreparedStatement retained;
    private final PreparedStatement conversation;
    private final PreparedStatement members;

    ReadConnection(Path database) throws SQLException {
        this.c = SqliteConnections.reader(database);
        try {
            this.read = c.prepareStatement("SELECT seq, ts, payload, idem_key, sender FROM messages"
                    + " WHERE topic = (SELECT id FROM topics WHERE name = ?) AND seq > ? ORDER BY seq LIMIT ?");
            this.lastSequence = c.prepareStatement("SELECT last_seq FROM topics WHERE name = ?");
            this.retained = c.prepareStatement("SELECT (SELECT min(seq) FROM messages"
                    + " WHERE topic = (SELECT id FROM topics WHERE name = ?)),"
                    + " (SELECT last_seq FROM topics WHERE name = ?)");
            this.conversation = c.prepareStatement("SELECT type, creator, created_ns, name FROM conversations WHERE id = ?");
            this.members = c.prepareStatement("SELECT inbox_id FROM members WHERE conversation_id = ?");
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
        conversation.setString(1, id);
        try (ResultSet rs = conversation.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new ConversationEntry(id, ConversationType.valueOf(rs.getString(1)), members(id),
                    rs.getString(2), rs.getLong(3), rs.getString(4)));
        }
    }

    private Set<String> members(String id) throws SQLException {
        members.setString(1, id);
        Set<String> inboxes = new HashSet<>();
        try (ResultSet rs = members.executeQuery()) {
            while (rs.next()) {
                inboxes.add(rs.getString(1));
            }
        }
        return inboxes;
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
