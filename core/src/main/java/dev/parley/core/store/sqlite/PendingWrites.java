package dev.parley.core.store.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one transaction, held until it commits: rows in the order they were made (messages
 * apart, in their own order, written together by multi-row INSERTs: {@link MessageRows}), and
 * cursors coalesced to their highest value (written once per topic, however many envelopes moved
 * them). Belongs to one thread.
 */
final class PendingWrites {
    /** One row change, applied inside the commit. */
    interface Write {
        void apply(Statements sql) throws SQLException;
    }

    /** A durable stream's cursor of one topic. */
    record DurableKey(String stream, String topic) {
    }

    private final List<Write> rows = new ArrayList<>();
    private final MessageRows messages = new MessageRows();
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<DurableKey, Long> durableCursors = new HashMap<>();
    final long generation;
    int depth;

    PendingWrites(long generation) {
        this.generation = generation;
    }

    void add(Write write) {
        rows.add(write);
    }

    void message(MessageRow row) {
        messages.add(row);
    }

    void cursor(String topic, long sequence) {
        cursors.merge(topic, sequence, Math::max);
    }

    void durableCursor(String stream, String topic, long sequence) {
        durableCursors.merge(new DurableKey(stream, topic), sequence, Math::max);
    }

    /** How many rows and cursors it writes. */
    int size() {
        return rows.size() + messages.size() + cursors.size() + durableCursors.size();
    }

    boolean isEmpty() {
        return rows.isEmpty() && messages.isEmpty() && cursors.isEmpty() && durableCursors.isEmpty();
    }

    /**
     * Applies its rows and adds its messages and cursors to {@code commit} (written once for a whole
     * commit by {@link #writeGathered}), unless a new node history was adopted since it was made (the
     * old one is forgotten).
     */
    void applyTo(Statements sql, long currentGeneration, PendingWrites commit) throws SQLException {
        if (currentGeneration != generation) {
            return; // rows and cursors of a replaced history
        }
        for (Write write : rows) {
            write.apply(sql);
        }
        commit.messages.addAll(messages);
        cursors.forEach(commit::cursor);
        durableCursors.forEach((key, sequence) -> commit.durableCursors.merge(key, sequence, Math::max));
    }

    /**
     * Writes what {@link #applyTo} gathered here (not its own rows): the messages, then one cursor
     * statement per topic and stream.
     */
    void writeGathered(Statements sql, Names names) throws SQLException {
        messages.writeTo(sql, names);
        for (Map.Entry<String, Long> cursor : cursors.entrySet()) {
            Rows.syncCursor(sql, cursor.getKey(), cursor.getValue());
        }
        for (Map.Entry<DurableKey, Long> cursor : durableCursors.entrySet()) {
            Rows.durableCursor(sql, cursor.getKey().stream(), cursor.getKey().topic(), cursor.getValue());
        }
    }
}
