package dev.parley.core.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The message rows of one commit, in the order they came, written with multi-row INSERTs: one statement
 * (one step into SQLite) per up to {@value #MAX_ROWS} consecutive rows of one conversation, history and
 * content type, those three bound once per statement ({@code ?1 ?2 ?3}), then per row its time and content
 * and, only where the rows need them, its sequence, sender, id and fallback:
 * <ul>
 *   <li>rows of consecutive sequences (a run of one topic) bind the first one; the others say {@code ?4 + i};</li>
 *   <li>rows of one sender bind it once;</li>
 *   <li>rows whose ids are those their conversation and sequence give ({@link MessageRow#id()} null) say
 *       {@code X''} (an empty blob: the id is made again when read, {@link Rows#messages});</li>
 *   <li>rows without a fallback text say {@code NULL}.</li>
 * </ul>
 * Each value bound is a call into the native library (and a boxed value in the driver); a JDBC batch
 * instead resets, binds nine values, steps and counts changes per row. The conversation, sender and content
 * type are bound as their {@link Names} keys. Runs are cut into powers of two, so at most
 * {@code 16 * (log2(MAX_ROWS) + 1)} statement shapes exist, each prepared when first used.
 * {@code INSERT OR IGNORE}: a row already stored (same conversation, history and sequence) stays as it was,
 * and of two in one commit the first wins, as with one statement per row.
 */
final class MessageRows {
    /** Rows per statement at most (6 values each: well below SQLite's limit of bound values). */
    static final int MAX_ROWS = 64;
    private static final int SIZES = Integer.numberOfTrailingZeros(MAX_ROWS) + 1;
    // what a statement binds per row beyond time and content (else it is shared or said in the SQL)
    private static final int SEQUENCE = 1;
    private static final int SENDER = 2;
    private static final int ID = 4;
    private static final int FALLBACK = 8;
    /** By the bits above, then log2 of the rows; made when first asked for (a race makes equal strings). */
    private static final String[][] STATEMENTS = new String[16][SIZES];

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
        int bound = (first.id() != null ? ID : 0) | (first.fallback() != null ? FALLBACK : 0); // alike in every row
        for (int i = 0; i < count; i++) {
            MessageRow row = rows.get(from + i);
            senders[i] = names.key(sql, row.senderInboxId());
            if (senders[i] != senders[0]) {
                bound |= SENDER;
            }
            if (row.sequence() != first.sequence() + i) {
                bound |= SEQUENCE;
            }
        }
        int shape = bound;
        sql.update(statement(shape, Integer.numberOfTrailingZeros(count)), statement -> {
            int at = 0;
            statement.setLong(++at, conversation);
            statement.setLong(++at, first.generation());
            statement.setLong(++at, contentType);
            if ((shape & SEQUENCE) == 0) {
                statement.setLong(++at, first.sequence());
            }
            if ((shape & SENDER) == 0) {
                statement.setLong(++at, senders[0]);
            }
            for (int i = 0; i < count; i++) {
                at = bind(statement, at, rows.get(from + i), senders[i], shape);
            }
        });
    }

    /** Binds the row's values after {@code at}; returns the last position bound. */
    private static int bind(PreparedStatement statement, int at, MessageRow row, long sender, int shape)
            throws SQLException {
        int next = at;
        if ((shape & SEQUENCE) != 0) {
            statement.setLong(++next, row.sequence());
        }
        if ((shape & ID) != 0) {
            statement.setString(++next, row.id());
        }
        if ((shape & SENDER) != 0) {
            statement.setLong(++next, sender);
        }
        statement.setLong(++next, row.sentAtNs());
        statement.setBytes(++next, row.content());
        if ((shape & FALLBACK) != 0) {
            statement.setString(++next, row.fallback());
        }
        return next;
    }

    private static String statement(int shape, int size) {
        String sql = STATEMENTS[shape][size];
        if (sql == null) {
            sql = sql(shape, 1 << size);
            STATEMENTS[shape][size] = sql;
        }
        return sql;
    }

    /** The INSERT of {@code count} rows binding what {@code shape} says per row, in {@link #bind}'s order. */
    private static String sql(int shape, int count) {
        StringBuilder insert = new StringBuilder("INSERT OR IGNORE INTO messages (conversation, generation,"
                + " content_type, sequence, id, sender, sent_at_ns, content, fallback) VALUES ");
        int at = 3;
        String firstSequence = (shape & SEQUENCE) == 0 ? "?" + ++at : null;
        String sender = (shape & SENDER) == 0 ? "?" + ++at : null;
        for (int row = 0; row < count; row++) {
            insert.append(row == 0 ? "" : ", ").append("(?1, ?2, ?3, ");
            if (firstSequence == null) {
                insert.append('?').append(++at);
            } else {
                insert.append(firstSequence).append(row == 0 ? "" : " + " + row);
            }
            insert.append((shape & ID) != 0 ? ", ?" + ++at : ", X''");
            insert.append(", ").append(sender != null ? sender : "?" + ++at);
            insert.append(", ?").append(++at).append(", ?").append(++at); // time, content
            insert.append((shape & FALLBACK) != 0 ? ", ?" + ++at : ", NULL");
            insert.append(')');
        }
        return insert.toString();
    }
}
