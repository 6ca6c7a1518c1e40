package dev.parley.node.store.postgresql;

import dev.parley.ConversationType;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.MemberSpan;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Conversations in tables {@code conversations}, {@code member_spans} and {@code admins}: read in one
 * statement (one snapshot, so never half of a change), written as the difference to what they were.
 */
final class ConversationTable {
    private static final String LOAD = "SELECT type, creator, created_ns, name, changed_seq,"
            + " ARRAY(SELECT inbox_id FROM member_spans s WHERE s.conversation_id = c.id ORDER BY inbox_id, from_seq),"
            + " ARRAY(SELECT from_seq FROM member_spans s WHERE s.conversation_id = c.id ORDER BY inbox_id, from_seq),"
            + " ARRAY(SELECT coalesce(to_seq, -1) FROM member_spans s WHERE s.conversation_id = c.id"
            + " ORDER BY inbox_id, from_seq),"
            + " ARRAY(SELECT inbox_id FROM admins a WHERE a.conversation_id = c.id)"
            + " FROM conversations c WHERE id = ?";

    private ConversationTable() {
    }

    /** The conversation as committed when the statement starts (inside a transaction: with its own changes). */
    static Optional<ConversationEntry> load(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(LOAD)) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String[] inboxes = (String[]) rs.getArray(6).getArray();
                Long[] froms = (Long[]) rs.getArray(7).getArray();
                Long[] tos = (Long[]) rs.getArray(8).getArray();
                Map<String, List<MemberSpan>> spans = new HashMap<>();
                for (int i = 0; i < inboxes.length; i++) {
                    spans.computeIfAbsent(inboxes[i], k -> new ArrayList<>())
                            .add(tos[i] < 0 ? MemberSpan.openFrom(froms[i]) : new MemberSpan(froms[i], tos[i]));
                }
                Set<String> admins = Set.of((String[]) rs.getArray(9).getArray());
                return Optional.of(new ConversationEntry(id, ConversationType.valueOf(rs.getString(1)), rs.getString(2),
                        rs.getLong(3), rs.getString(4), spans, admins, rs.getLong(5)));
            }
        }
    }

    /** Locks the conversation's row until the transaction ends; false when there is none. */
    static boolean lock(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM conversations WHERE id = ? FOR UPDATE")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Stores a new conversation; false (nothing written) when one with its id exists. */
    static boolean insert(Connection c, ConversationEntry entry) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO conversations"
                + " (id, type, creator, created_ns, name, changed_seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            insert.setString(1, entry.id());
            insert.setString(2, entry.type().name());
            insert.setString(3, entry.creatorInboxId());
            insert.setLong(4, entry.createdAtNs());
            insert.setString(5, entry.name());
            insert.setLong(6, entry.changedAtSequence());
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        writeMembers(c, new ConversationEntry(entry.id(), entry.type(), entry.creatorInboxId(), entry.createdAtNs(),
                entry.name(), Map.of(), Set.of(), entry.changedAtSequence()), entry);
        return true;
    }

    /** Stores {@code after} over {@code before} (as {@link #load} gave it, the row locked). */
    static void update(Connection c, ConversationEntry before, ConversationEntry after) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE conversations SET name = ?, changed_seq = ? WHERE id = ?")) {
            update.setString(1, after.name());
            update.setLong(2, after.changedAtSequence());
            update.setString(3, after.id());
            update.executeUpdate();
        }
        writeMembers(c, before, after);
    }

    /** Writes the spans and admins {@code after} has and {@code before} has not, deletes the others. */
    private static void writeMembers(Connection c, ConversationEntry before, ConversationEntry after) throws SQLException {
        List<String> inboxes = new ArrayList<>();
        List<Long> froms = new ArrayList<>();
        List<Long> tos = new ArrayList<>();
        List<String> goneInboxes = new ArrayList<>();
        List<Long> goneFroms = new ArrayList<>();
        after.spans().forEach((inbox, spans) -> spans.stream()
                .filter(span -> !before.spans().getOrDefault(inbox, List.of()).contains(span))
                .forEach(span -> {
                    inboxes.add(inbox);
                    froms.add(span.from());
                    tos.add(span.isOpen() ? null : span.to());
                }));
        before.spans().forEach((inbox, spans) -> spans.stream()
                .filter(span -> after.spans().getOrDefault(inbox, List.of()).stream().noneMatch(s -> s.from() == span.from()))
                .forEach(span -> {
                    goneInboxes.add(inbox);
                    goneFroms.add(span.from());
                }));
        String id = after.id();
        if (!goneInboxes.isEmpty()) {
            execute(c, "DELETE FROM member_spans WHERE conversation_id = ? AND (inbox_id, from_seq) IN"
                    + " (SELECT * FROM unnest(?::text[], ?::bigint[]))", id, goneInboxes.toArray(String[]::new),
                    goneFroms.toArray(Long[]::new));
        }
        if (!inboxes.isEmpty()) {
            execute(c, "INSERT INTO member_spans (conversation_id, inbox_id, from_seq, to_seq)"
                    + " SELECT ?, * FROM unnest(?::text[], ?::bigint[], ?::bigint[])"
                    + " ON CONFLICT (conversation_id, inbox_id, from_seq) DO UPDATE SET to_seq = excluded.to_seq",
                    id, inboxes.toArray(String[]::new), froms.toArray(Long[]::new), tos.toArray(Long[]::new));
        }
        String[] removedAdmins = before.admins().stream().filter(a -> !after.admins().contains(a)).toArray(String[]::new);
        String[] addedAdmins = after.admins().stream().filter(a -> !before.admins().contains(a)).toArray(String[]::new);
        if (removedAdmins.length > 0) {
            execute(c, "DELETE FROM admins WHERE conversation_id = ? AND inbox_id = ANY(?::text[])", id, removedAdmins);
        }
        if (addedAdmins.length > 0) {
            execute(c, "INSERT INTO admins (conversation_id, inbox_id) SELECT ?, unnest(?::text[])", id, addedAdmins);
        }
    }

    /** Runs {@code sql} with a conversation id and arrays (text or bigint) as its parameters. */
    private static void execute(Connection c, String sql, String id, Object[]... arrays) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            for (int i = 0; i < arrays.length; i++) {
                Array array = c.createArrayOf(arrays[i] instanceof String[] ? "text" : "bigint", arrays[i]);
                s.setArray(i + 2, array);
            }
            s.executeUpdate();
        }
    }
}
