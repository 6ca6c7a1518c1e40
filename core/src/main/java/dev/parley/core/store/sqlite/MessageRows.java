package dev.parley.core.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The message rows of one commit, in the order they came, written with multi-row INSERTs: one statement
 * (one step into SQLite) per up to {@value #MAX_ROWS} consecutive rows of one conversation, history and
 * content type, those three bound once per statement ({@code ?1 ?2 ?3}), then up to six values per row:
 * sequence, id, sender, time, content, fallback. A statement whose rows have no fallback text says
 * {@code NULL} instead of binding one; one whose rows' ids are those their conversation and sequence give
 * ({@link MessageRow#id()} null) says {@code X''} (an empty blob: the id is made again when read,
 * {@link Rows#messages}) instead of binding 32 characters per row. The conversation, sender and content type
 * are bound as their {@link Names} keys. A JDBC batch instead resets, binds nine values, steps and counts
 * changes per row, each a call into the native library. Runs are cut into powers of two, so at most
 * {@code 4 * (log2(MAX_ROWS) + 1)} statement shapes are ever prepared. {@code INSERT OR IGNORE}: a row
 * already stored (same conversation, history and sequence) stays as it was, and of two in one commit the
 * first wins, as with one statement per row.
 */
final class MessageRows {
    /** Rows per statement at most (6 values each: well below SQLite's limit of bound values). */
    static final int MAX_ROWS = 64;
    private static final int SHARED = 3;
    /** Statements by [fallback bound][id bound][log2 of the rows]. */
    private static final String[][][] STATEMENTS = {
            {statements(false, false), statements(false, true)},
            {statements(true, false), statements(true, true)}};

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
        boolean id = first.id() != null; // likewise
        int perRow = perRow(fallback, id);
        String statement = STATEMENTS[fallback ? 1 : 0][id ? 1 : 0][Integer.numberOfTrailingZeros(count)];
        sql.update(statement, bound -> {
            bound.setLong(1, conversation);
            bound.setLong(2, first.generation());
            bound.setLong(3, contentType);
            for (int i = 0; i < count; i++) {
                bind(bound, SHARED + i * perRow, rows.get(from + i), senders[i], fallback, id);
            }
        });
    }

    private static void bind(PreparedStatement statement, int at, MessageRow row, long sender, boolean fallback,
                             boolean id) throws SQLException {
        int next = at;
        statement.setLong(++next, row.sequence());
        if (id) {
            statement.setString(++next, row.id());
        }
        statement.setLong(++next, sender);
        statement.setLong(++next, row.sentAtNs());
        statement.setBytes(++next, row.content());
        if (fallback) {
            statement.setString(++next, row.fallback());
        }
    }

    /** Values bound per row: sequence, sender, time and content, and the id and fallback where bound. */
    private static int perRow(boolean fallback, boolean id) {
        return 4 + (fallback ? 1 : 0) + (id ? 1 : 0);
    }

    /** Element {@code k} inserts {@code 2^k} rows. */
    private static String[] statements(boolean fallback, boolean id) {
        String[] sql = new String[Integer.numberOfTrailingZeros(MAX_ROWS) + 1];
        for (int k = 0; k < sql.length; k++) {
            StringBuilder insert = new StringBuilder("INSERT OR IGNORE INTO messages (conversation, generation,"
                    + " content_type, sequence, id, sender, sent_at_ns, content, fallback) VALUES ");
            int at = SHARED;
            for (int row = 0; row < 1 << k; row++) {
                insert.append(row == 0 ? "" : ", ").append("(?1, ?2, ?3, ?").append(++at);
                insert.append(id ? ", ?" + ++at : ", X''");
                for (int column = 0; column < 3; column++) {
                    insert.append(", ?").append(++at);
                }
                insert.append(fallback ? ", ?" + ++at : ", NULL");
                insert.append(')');
            }
            sql[k] = insert.toString();
        }
        return sql;
    }
}
