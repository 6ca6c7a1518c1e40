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
    private final PreparedStatement topicId;
    private final PreparedStatement read;
    private final PreparedStatement lastSequence;
    private final PreparedStatement retained;
    private final ConversationQueries conversations;

    ReadConnection(Path database) throws SQLException {
        this.c = SqliteConnections.reader(database);
        try {
            this.topicId = c.prepareStatement("SELECT id FROM topics WHERE name = ?");
            // from the chunk holding the first sequence wanted (a seek on the primary key), in order
            this.read = c.prepareStatement("SELECT first_seq, last_seq, body FROM chunks WHERE topic = ?1"
                    + " AND first_seq >= coalesce((SELECT max(first_seq) FROM chunks WHERE topic = ?1 AND first_seq <= ?2), 0)"
                    + " ORDER BY first_seq");
            this.lastSequence = c.prepareStatement("SELECT last_seq FROM topics WHERE name = ?");
            this.retained = c.prepareStatement("SELECT (SELECT min(first_seq) FROM chunks"
                    + " WHERE topic = (SELECT id FROM topics WHERE name = ?)),"
                    + " (SELECT last_seq FROM topics WHERE name = ?)");
            this.conversations = new ConversationQueries(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** Up to {@code limit} entries of {@code topic} after {@code afterSequence}, decoded from their chunks. */
    List<Envelope> read(String topic, long afterSequence, int limit) throws SQLException {
        List<Envelope> entries = new ArrayList<>();
        if (limit <= 0) {
            return entries;
        }
        topicId.setString(1, topic);
        long id;
        try (ResultSet rs = topicId.executeQuery()) {
            if (!rs.next()) {
                return entries;
            }
            id = rs.getLong(1);
        }
        long from = afterSequence == Long.MAX_VALUE ? afterSequence : afterSequence + 1;
        read.setLong(1, id);
        read.setLong(2, from);
        try (ResultSet rs = read.executeQuery()) {
            while (entries.size() < limit && rs.next()) {
                if (rs.getLong(2) >= from) {
                    entries.addAll(ChunkCodec.decode(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(3), from,
                            limit - entries.size()));
                }
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
