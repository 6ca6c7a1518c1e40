package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.MemberSpan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The conversations as the writer thread knows them, including the batch not yet committed: every
 * append to a conversation checks its sender's membership here, at the moment its sequence is
 * assigned, so the recently used ones are kept (the others are read again). Writes a conversation's
 * rows (the conversation, its member spans, its admins) as the difference to what it was. Only the
 * writer thread uses it; after a failed batch, {@link #forget} drops what the batch changed, like
 * {@link TopicSequences}.
 */
final class ConversationRows implements AutoCloseable {
    private static final int KNOWN = 16_384;

    private final ConversationQueries queries;
    private final Map<String, ConversationEntry> known = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ConversationEntry> eldest) {
            return size() > KNOWN;
        }
    };
    private final Map<String, ConversationEntry> touched = new HashMap<>();
    private final PreparedStatement insertConversation;
    private final PreparedStatement updateConversation;
    private final PreparedStatement putSpan;
    private final PreparedStatement deleteSpan;
    private final PreparedStatement insertAdmin;
    private final PreparedStatement deleteAdmin;

    ConversationRows(Connection writer) throws SQLException {
        this.queries = new ConversationQueries(writer);
        this.insertConversation = writer.prepareStatement("INSERT INTO conversations"
                + " (id, type, creator, created_ns, name, changed_seq) VALUES (?, ?, ?, ?, ?, ?)");
        this.updateConversation = writer.prepareStatement("UPDATE conversations SET name = ?, changed_seq = ?"
                + " WHERE id = ?");
        this.putSpan = writer.prepareStatement("INSERT OR REPLACE INTO member_spans"
                + " (conversation_id, inbox_id, from_seq, to_seq) VALUES (?, ?, ?, ?)");
        this.deleteSpan = writer.prepareStatement("DELETE FROM member_spans"
                + " WHERE conversation_id = ? AND inbox_id = ? AND from_seq = ?");
        this.insertAdmin = writer.prepareStatement("INSERT INTO admins (conversation_id, inbox_id) VALUES (?, ?)");
        this.deleteAdmin = writer.prepareStatement("DELETE FROM admins WHERE conversation_id = ? AND inbox_id = ?");
    }

    /** The conversation as this batch leaves it so far; empty when there is none. */
    Optional<ConversationEntry> current(String id) throws SQLException {
        ConversationEntry entry = touched.get(id);
        if (entry == null) {
            entry = known.get(id);
        }
        if (entry == null) {
            entry = queries.load(id).orElse(null);
            if (entry != null) {
                known.put(id, entry);
            }
        }
        return Optional.ofNullable(entry);
    }

    /** Stores a new conversation (the caller made sure there is none with its id). */
    void create(ConversationEntry entry) throws SQLException {
        insertConversation.setString(1, entry.id());
        insertConversation.setString(2, entry.type().name());
        insertConversation.setString(3, entry.creatorInboxId());
        insertConversation.setLong(4, entry.createdAtNs());
        insertConversation.setString(5, entry.name());
        insertConversation.setLong(6, entry.changedAtSequence());
        insertConversation.executeUpdate();
        writeDifference(new ConversationEntry(entry.id(), entry.type(), entry.creatorInboxId(), entry.createdAtNs(),
                entry.name(), Map.of(), Set.of(), entry.changedAtSequence()), entry);
    }

    /** Stores {@code after} over {@code before}, the conversation as {@link #current} gave it. */
    void change(ConversationEntry before, ConversationEntry after) throws SQLException {
        updateConversation.setString(1, after.name());
        updateConversation.setLong(2, after.changedAtSequence());
        updateConversation.setString(3, after.id());
        updateConversation.executeUpdate();
        writeDifference(before, after);
    }

    private void writeDifference(ConversationEntry before, ConversationEntry after) throws SQLException {
        String id = after.id();
        for (Map.Entry<String, List<MemberSpan>> inbox : after.spans().entrySet()) {
            List<MemberSpan> old = before.spans().getOrDefault(inbox.getKey(), List.of());
            for (MemberSpan span : inbox.getValue()) {
                if (!old.contains(span)) {
                    putSpan.setString(1, id);
                    putSpan.setString(2, inbox.getKey());
                    putSpan.setLong(3, span.from());
                    if (span.isOpen()) {
                        putSpan.setNull(4, Types.INTEGER);
                    } else {
                        putSpan.setLong(4, span.to());
                    }
                    putSpan.executeUpdate();
                }
            }
        }
        for (Map.Entry<String, List<MemberSpan>> inbox : before.spans().entrySet()) {
            Set<Long> starts = new HashSet<>();
            after.spans().getOrDefault(inbox.getKey(), List.of()).forEach(s -> starts.add(s.from()));
            for (MemberSpan span : inbox.getValue()) {
                if (!starts.contains(span.from())) {
                    deleteSpan.setString(1, id);
                    deleteSpan.setString(2, inbox.getKey());
                    deleteSpan.setLong(3, span.from());
                    deleteSpan.executeUpdate();
                }
            }
        }
        for (String admin : after.admins()) {
            if (!before.admins().contains(admin)) {
                insertAdmin.setString(1, id);
                insertAdmin.setString(2, admin);
                insertAdmin.executeUpdate();
            }
        }
        for (String admin : before.admins()) {
            if (!after.admins().contains(admin)) {
                deleteAdmin.setString(1, id);
                deleteAdmin.setString(2, admin);
                deleteAdmin.executeUpdate();
            }
        }
        touched.put(id, after);
    }

    /** The batch committed: what it changed is now the stored state. */
    void committed() {
        known.putAll(touched);
        touched.clear();
    }

    /** The batch was rolled back: what it changed never happened. */
    void forget() {
        touched.keySet().forEach(known::remove);
        touched.clear();
    }

    @Override
    public void close() {
        queries.close();
        for (PreparedStatement s : List.of(insertConversation, updateConversation, putSpan, deleteSpan, insertAdmin,
                deleteAdmin)) {
            Sql.closeQuietly(s);
        }
    }
}
