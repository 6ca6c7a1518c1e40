package dev.parley.core.store.sqlite;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.ContentTypeId;
import dev.parley.ConversationType;
import dev.parley.DecodedMessage;
import dev.parley.core.conversation.EnvelopeProcessor;
import dev.parley.core.store.ConversationRecord;
import dev.parley.internal.Topics;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of each kind of row: how it is written and read back. */
final class Rows {
    /** Between the inbox ids of a list kept in one column (inbox ids are hexadecimal). */
    private static final String INBOX_SEPARATOR = ",";
    private Rows() {
    }

    /** Writes a conversation as the store now knows it (new, or of a later state), with its members. */
    static void conversation(Statements sql, ConversationRecord c) throws SQLException {
        sql.update("INSERT INTO conversations (id, type, creator_inbox_id, created_at_ns, name, admins, active,"
                        + " state_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                        + " name = excluded.name, admins = excluded.admins, active = excluded.active,"
                        + " state_sequence = excluded.state_sequence",
                c.id(), c.type().name(), c.creatorInboxId(), c.createdAtNs(), c.name(),
                String.join(INBOX_SEPARATOR, c.adminInboxIds()), c.active() ? 1 : 0, c.stateSequence());
        sql.update("DELETE FROM members WHERE conversation_id = ?", c.id());
        List<String> members = c.memberInboxIds();
        for (int i = 0; i < members.size(); i++) {
            sql.update("INSERT INTO members (conversation_id, position, inbox_id) VALUES (?, ?, ?)",
                    c.id(), i, members.get(i));
        }
    }

    /** Every conversation, oldest first. */
    static List<ConversationRecord> conversations(Statements sql) throws SQLException {
        Map<String, List<String>> members = new HashMap<>();
        for (String[] member : sql.query("SELECT conversation_id, inbox_id FROM members ORDER BY conversation_id,"
                + " position", row -> new String[] {row.getString(1), row.getString(2)})) {
            members.computeIfAbsent(member[0], id -> new ArrayList<>()).add(member[1]);
        }
        return sql.query("SELECT id, type, creator_inbox_id, created_at_ns, name, admins, active, state_sequence"
                        + " FROM conversations ORDER BY created_at_ns, id",
                row -> new ConversationRecord(row.getString(1), ConversationType.valueOf(row.getString(2)),
                        members.getOrDefault(row.getString(1), List.of()), row.getString(3), row.getLong(4),
                        row.getString(5), inboxIds(row.getString(6)), row.getInt(7) != 0, row.getLong(8)));
    }

    private static List<String> inboxIds(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(INBOX_SEPARATOR));
    }

    static void consent(Statements sql, ConsentRecord c) throws SQLException {
        sql.update("INSERT INTO consent (conversation_id, state, updated_at_ns) VALUES (?, ?, ?)"
                        + " ON CONFLICT (conversation_id) DO UPDATE SET state = excluded.state,"
                        + " updated_at_ns = excluded.updated_at_ns WHERE excluded.updated_at_ns >= consent.updated_at_ns",
                c.conversationId(), c.state().name(), c.updatedAtNs());
    }

    static Map<String, ConsentRecord> consent(Statements sql) throws SQLException {
        Map<String, ConsentRecord> all = new HashMap<>();
        for (ConsentRecord c : sql.query("SELECT conversation_id, state, updated_at_ns FROM consent",
                row -> new ConsentRecord(row.getString(1), ConsentState.valueOf(row.getString(2)), row.getLong(3)))) {
            all.put(c.conversationId(), c);
        }
        return all;
    }

    /**
     * Messages of a conversation: earlier node histories first, then by sequence. A row whose id is an empty
     * blob left out the id its conversation and sequence give ({@link MessageRows}): it is made again here;
     * a run row ({@code run_last}) gives each of its messages ({@link RunBody}).
     */
    static List<DecodedMessage> messages(Statements sql, String conversationId, MessageContent content)
            throws SQLException {
        String topic = Topics.conversation(conversationId);
        List<DecodedMessage> messages = new ArrayList<>();
        sql.each("SELECT CASE WHEN typeof(m.id) = 'blob' THEN NULL ELSE m.id END, s.name, m.sent_at_ns,"
                        + " t.name, m.content, m.fallback, m.sequence, m.run_last FROM messages m"
                        + " JOIN names s ON s.key = m.sender JOIN names t ON t.key = m.content_type"
                        + " WHERE m.conversation = (SELECT key FROM names WHERE name = ?) ORDER BY m.generation, m.sequence",
                row -> {
                    ContentTypeId type = ContentTypeId.parse(row.getString(4));
                    String id = row.getString(1);
                    String sender = row.getString(2);
                    long sequence = row.getLong(7);
                    long last = row.getLong(8);
                    if (row.wasNull()) {
                        messages.add(new DecodedMessage(id != null ? id : EnvelopeProcessor.messageId(topic, sequence),
                                conversationId, sender, row.getLong(3), type, content.decode(type, row.getBytes(5)),
                                row.getString(6)));
                        return;
                    }
                    List<RunBody.Part> parts = RunBody.unpack(row.getBytes(5), (int) (last - sequence + 1),
                            row.getLong(3));
                    for (int i = 0; i < parts.size(); i++) {
                        RunBody.Part part = parts.get(i);
                        messages.add(new DecodedMessage(EnvelopeProcessor.messageId(topic, sequence + i),
                                conversationId, sender, part.sentAtNs(), type, content.decode(type, part.content()),
                                null));
                    }
                }, conversationId);
        return messages;
    }

    static void syncCursor(Statements sql, String topic, long sequence) throws SQLException {
        sql.update("INSERT INTO sync_cursors (topic, sequence) VALUES (?, ?) ON CONFLICT (topic)"
                + " DO UPDATE SET sequence = max(sequence, excluded.sequence)", topic, sequence);
    }

    static Map<String, Long> syncCursors(Statements sql) throws SQLException {
        return cursors(sql.query("SELECT topic, sequence FROM sync_cursors", Rows::cursor));
    }

    static void durableCursor(Statements sql, String stream, String topic, long sequence) throws SQLException {
        sql.update("INSERT INTO durable_cursors (stream, topic, sequence) VALUES (?, ?, ?) ON CONFLICT (stream, topic)"
                + " DO UPDATE SET sequence = max(sequence, excluded.sequence)", stream, topic, sequence);
    }

    static Map<String, Long> durableCursors(Statements sql, String stream) throws SQLException {
        return cursors(sql.query("SELECT topic, sequence FROM durable_cursors WHERE stream = ?", Rows::cursor, stream));
    }

    /** Forgets a replaced node history: its conversations, members, messages and cursors (consent stays). */
    static void dropHistory(Statements sql) throws SQLException {
        sql.update("DELETE FROM messages");
        sql.update("DELETE FROM members");
        sql.update("DELETE FROM conversations");
        sql.update("DELETE FROM sync_cursors");
        sql.update("DELETE FROM durable_cursors");
    }

    static Optional<String> meta(Statements sql, String key) throws SQLException {
        return sql.query("SELECT value FROM meta WHERE key = ?", row -> row.getString(1), key).stream().findFirst();
    }

    static void meta(Statements sql, String key, String value) throws SQLException {
        sql.update("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                key, value);
    }

    private static Map.Entry<String, Long> cursor(java.sql.ResultSet row) throws SQLException {
        return Map.entry(row.getString(1), row.getLong(2));
    }

    private static Map<String, Long> cursors(List<Map.Entry<String, Long>> rows) {
        Map<String, Long> cursors = new LinkedHashMap<>();
        rows.forEach(e -> cursors.put(e.getKey(), e.getValue()));
        return cursors;
    }
}
