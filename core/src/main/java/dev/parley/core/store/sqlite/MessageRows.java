package dev.parley.core.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The message rows of one commit, in the order they came, written with multi-row INSERTs: one statement
 * (one step into SQLite) per up to {@value #MAX_ROWS} consecutive rows of one conversation, history and
 * content type, those three bound once per statement ({@code ?1 ?2 ?3}), then six values per row, or
 * five when none of the statement's rows has a fallback text (the statement says {@code NULL}). The
 * conversation, sender and content type are bound as their {@link Names} keys. A JDBC batch instead
 * resets, binds nine values, steps and counts changes per row, each a call into the native library.
 * Runs are cut into powers of two, so at most {@code 2 * (log2(MAX_ROWS) + 1)} statement shapes are ever
 * prepared. {@code INSERT OR IGNORE}: a row already stored (same conversation, history and sequence)
 * stays as it was, and of two in one commit the first wins, as with one statement per row.
 */
final class MessageRows {
    /** Rows per statement at most (6 values each: well below SQLite's limit of bound values). */
    static final int MAX_ROWS = 64;
    private static final int SHARED = 3;
    private static final int PER_ROW = 6; // with a fallback; 5 without
    private static final String[] WITH_FALLBACK = statements(true);
    private static final String[] WITHOUT_FALLBACK = statements(false);

    private final List<MessageRow> rows = new ArrayList<>();

    void add(MessageRow row) {
        rows.add(row);
    }

    void addAll(MessageRows other) {
        rows.addAll(other.rows);
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Inserts every row (statements run in the caller's transaction). */
    void writeTo(Statements sql, Names names) throws SQLException {
        int start = 0;
        while (start < rows.size()) {
            int end = start + 1;
            while (end < rows.size() && end - start < MAX_ROWS && rows.get(end).sharesStatementWith(rows.get(start))) {
                end++;
            }
            int count = Integer.highestOneBit(end - start);
            insert(sql, names, start, count);
            start += count;
        }
    }

    private void insert(Statements sql, Names names, int from, int count) throws SQLException {
        MessageRow first = rows.get(from);
        long conversation = names.key(sql, first.conversationId());
        long contentType = names.key(sql, first.contentType());
        long[] senders = new long[count];
        for (int i = 0; i < count; i++) {
            senders[i] = names.key(sql, rows.get(from + i).senderInboxId());
        }
        boolean fallback = first.fallback() != null; // the same for every row of the statement
        String[] shapes = fallback ? WITH_FALLBACK : WITHOUT_FALLBACK;
        sql.update(shapes[Integer.numberOfTrailingZeros(count)], statement -> {
            statement.setLong(1, conversation);
            statement.setLong(2, first.generation());
            statement.setLong(3, contentType);
            for (int i = 0; i < count; i++) {
                bind(statement, SHARED + i * perRow(fallback), rows.get(from + i), senders[i], fallback);
            }
        });
    }

    private static void bind(PreparedStatement statement, int at, MessageRow row, long sender, boolean fallback)
            throws SQLException {
        statement.setLong(at + 1, row.sequence());
        statement.setString(at + 2, row.id());
        statement.setLong(at + 3, sender);
        statement.setLong(at + 4, row.sentAtNs());
        statement.setBytes(at + 5, row.content());
        if (fallback) {
            statement.setString(at + 6, row.fallback());
        }
    }

    private static int perRow(boolean fallback) {
        return fallback ? PER_ROW : PER_ROW - 1;
    }

    /** Element {@code k} inserts {@code 2^k} rows; without fallback, their sixth value is {@code NULL}, not bound. */
    private static String[] statements(boolean fallback) {
        String[] sql = new String[Integer.numberOfTrailingZeros(MAX_ROWS) + 1];
        for (int k = 0; k < sql.length; k++) {
            StringBuilder insert = new StringBuilder("INSERT OR IGNORE INTO messages (conversation, generation,"
                    + " content_type, sequence, id, sender, sent_at_ns, content, fallback) VALUES ");
            for (int row = 0; row < 1 << k; row++) {
                int at = SHARED + row * perRow(fallback);
                insert.append(row == 0 ? "" : ", ").append("(?1, ?2, ?3");
                for (int column = 1; column <= 5; column++) {
                    insert.append(", ?").append(at + column);
                }
                insert.append(fallback ? ", ?" + (at + PER_ROW) : ", NULL");
                insert.append(')');
            }
            sql[k] = insert.toString();
        }
        return sql;
    }
}
