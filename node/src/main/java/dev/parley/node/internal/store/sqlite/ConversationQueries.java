package dev.parley.node.internal.store.sqlite;

import dev.parley.ConversationType;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.MemberSpan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a conversation (row, member spans, admins) on one connection: a reader's, or the writer's
 * inside its transaction (then it sees the batch's own changes). Used by one thread at a time.
 */
final class ConversationQueries implements AutoCloseable {
    private final PreparedStatement conversation;
    private final PreparedStatement spans;
    private final PreparedStatement admins;

    ConversationQueries(Connection c) throws SQLException {
        this.conversation = c.prepareStatement("SELECT type, creator, created_ns, name, changed_seq"
                + " FROM conversations WHERE id = ?");
        this.spans = c.prepareStatement("SELECT inbox_id, from_seq, to_seq FROM member_spans"
                + " WHERE conversation_id = ? ORDER BY inbox_id, from_seq");
        this.admins = c.prepareStatement("SELECT inbox_id FROM admins WHERE conversation_id = ?");
    }

    Optional<ConversationEntry> load(String id) throws SQLException {
        conversation.setString(1, id);
        try (ResultSet rs = conversation.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new ConversationEntry(id, ConversationType.valueOf(rs.getString(1)), rs.getString(2),
                    rs.getLong(3), rs.getString(4), spans(id), admins(id), rs.getLong(5)));
        }
    }

    private Map<String, List<MemberSpan>> spans(String id) throws SQLException {
        spans.setString(1, id);
        Map<String, List<MemberSpan>> byInbox = new HashMap<>();
        try (ResultSet rs = spans.executeQuery()) {
            while (rs.next()) {
                long from = rs.getLong(2);
                long to = rs.getLong(3);
                MemberSpan span = rs.wasNull() ? MemberSpan.openFrom(from) : new MemberSpan(from, to);
                byInbox.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(span);
            }
        }
        return byInbox;
    }

    private Set<String> admins(String id) throws SQLException {
        admins.setString(1, id);
        Set<String> inboxes = new HashSet<>();
        try (ResultSet rs = admins.executeQuery()) {
            while (rs.next()) {
                inboxes.add(rs.getString(1));
            }
        }
        return inboxes;
    }

    @Override
    public void close() {
        Sql.closeQuietly(conversation);
        Sql.closeQuietly(spans);
        Sql.closeQuietly(admins);
    }
}
