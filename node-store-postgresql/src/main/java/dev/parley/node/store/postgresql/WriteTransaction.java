package dev.parley.node.store.postgresql;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.spi.Envelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One write transaction on one pooled connection: the entries it appends (each topic's next sequence
 * taken from its row in {@code topics}, whose lock the transaction then holds until it ends), the
 * payload bytes per sender it adds or frees, and the hints it sends; {@link #commit} writes the bytes
 * (senders in sorted order, so transactions never wait on each other in a circle) and commits, and the
 * hints go out with the commit. Used by one thread.
 */
final class WriteTransaction {
    /** The next sequence and timestamp of a topic, strictly increasing per topic whichever node writes. */
    private static final String NEXT = "INSERT INTO topics (name, last_seq, last_ts) VALUES (?, 1, ?)"
            + " ON CONFLICT (name) DO UPDATE SET last_seq = topics.last_seq + 1,"
            + " last_ts = greatest(topics.last_ts + 1, excluded.last_ts) RETURNING last_seq, last_ts";
    private static final String INSERT = "INSERT INTO messages (topic, seq, ts, sender, idem_key, payload)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, idem_key) DO NOTHING";
    /** Like {@link #INSERT}, only when the sender is a member of the conversation now. */
    private static final String INSERT_BY_MEMBER = "INSERT INTO messages (topic, seq, ts, sender, idem_key, payload)"
            + " SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM member_spans"
            + " WHERE conversation_id = ? AND inbox_id = ? AND to_seq IS NULL)"
            + " ON CONFLICT (topic, idem_key) DO NOTHING";

    final Connection c;
    private final NodeClock clock;
    private final String origin;
    private final String channel;
    private final List<Envelope> appended = new ArrayList<>();
    private final Map<String, Long> byteChanges = new TreeMap<>();
    private final Set<String> hints = new LinkedHashSet<>();

    WriteTransaction(Connection c, NodeClock clock, String origin, String channel) throws SQLException {
        this.c = c;
        this.clock = clock;
        this.origin = origin;
        this.channel = channel;
        c.setAutoCommit(false);
    }

    /** A topic's sequence and timestamp taken by this transaction. */
    record Slot(String topic, long sequence, long timestampNs) {
    }

    /** Takes {@code topic}'s next sequence; the topic's row stays locked until the transaction ends. */
    Slot next(String topic) throws SQLException {
        try (PreparedStatement next = c.prepareStatement(NEXT)) {
            next.setString(1, topic);
            next.setLong(2, clock.nowNs());
            try (ResultSet rs = next.executeQuery()) {
                rs.next();
                return new Slot(topic, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** The sequence {@link #next} took for {@code slot} was not used (the key was taken, or the sender is no member). */
    void giveBack(Slot slot) throws SQLException {
        try (PreparedStatement back = c.prepareStatement("UPDATE topics SET last_seq = last_seq - 1 WHERE name = ?")) {
            back.setString(1, slot.topic());
            back.executeUpdate();
        }
    }

    /**
     * Stores the entry at {@code slot}, when its key is new on the topic (and, with a
     * {@code memberOf} conversation, when the sender is a member of it now).
     *
     * @return the entry; empty when nothing was stored (the key is taken, or the sender is no member)
     */
    Optional<Envelope> insert(Slot slot, byte[] payload, String key, String sender, String memberOf)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(memberOf == null ? INSERT : INSERT_BY_MEMBER)) {
            insert.setString(1, slot.topic());
            insert.setLong(2, slot.sequence());
            insert.setLong(3, slot.timestampNs());
            insert.setString(4, sender);
            insert.setString(5, key);
            insert.setBytes(6, payload);
            if (memberOf != null) {
                insert.setString(7, memberOf);
                insert.setString(8, sender);
            }
            if (insert.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        Envelope entry = new Envelope(slot.topic(), slot.sequence(), slot.timestampNs(), payload, key, sender);
        appended.add(entry);
        byteChanges.merge(sender, (long) payload.length, Long::sum);
        hint(Hint.appended(origin, entry.sequence(), entry.topic()));
        return Optional.of(entry);
    }

    /** The entry stored on {@code topic} under {@code key}: committed, or of this transaction. */
    Optional<Envelope> storedByKey(String topic, String key) throws SQLException {
        return byKey(c, topic, key);
    }

    static Optional<Envelope> byKey(Connection c, String topic, String key) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT seq, ts, sender, payload FROM messages"
                + " WHERE topic = ? AND idem_key = ?")) {
            q.setString(1, topic);
            q.setString(2, key);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Envelope(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(4), key, rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** Other nodes drop what they cached of the conversation once this transaction commits. */
    void conversationChanged(String conversationId) {
        hint(Hint.conversationChanged(origin, conversationId));
    }

    /** Payload bytes of {@code sender} removed by this transaction. */
    void freed(String sender, long bytes) {
        byteChanges.merge(sender, -bytes, Long::sum);
    }

    private void hint(String payload) {
        if (Hint.fits(payload)) {
            hints.add(payload);
        }
    }

    /** Writes the bytes per sender, sends the hints (delivered at commit) and commits. */
    void commit() throws SQLException {
        for (Map.Entry<String, Long> change : byteChanges.entrySet()) {
            if (change.getValue() != 0) {
                try (PreparedStatement add = c.prepareStatement("INSERT INTO sender_bytes (sender, bytes) VALUES (?, ?)"
                        + " ON CONFLICT (sender) DO UPDATE SET bytes = sender_bytes.bytes + excluded.bytes")) {
                    add.setString(1, change.getKey());
                    add.setLong(2, change.getValue());
                    add.executeUpdate();
                }
            }
        }
        if (byteChanges.values().stream().anyMatch(delta -> delta < 0)) {
            try (PreparedStatement drop = c.prepareStatement("DELETE FROM sender_bytes WHERE bytes <= 0 AND sender = ANY(?)")) {
                drop.setArray(1, c.createArrayOf("text", byteChanges.keySet().toArray()));
                drop.executeUpdate();
            }
        }
        if (!hints.isEmpty()) {
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")) {
                notify.setString(1, channel);
                notify.setArray(2, c.createArrayOf("text", hints.toArray()));
                notify.execute();
            }
        }
        c.commit();
    }

    /** Undoes everything this transaction did; its entries, bytes and hints are forgotten. */
    void rollback() throws SQLException {
        appended.clear();
        byteChanges.clear();
        hints.clear();
        c.rollback();
    }

    /** The entries this transaction appended, in order. */
    List<Envelope> appended() {
        return List.copyOf(appended);
    }

    /** Payload bytes per sender this transaction added (negative: freed). */
    Map<String, Long> byteChanges() {
        return Map.copyOf(byteChanges);
    }
}
