package dev.parley.core.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * type are bound as their {@link Names} keys. Other rows are cut into powers of two, so at most
 * {@code 16 * (log2(MAX_ROWS) + 1)} statement shapes exist, each prepared when first used.
 * A run of received messages (consecutive sequences of one sender, ids left out, no fallback texts) is one
 * row instead (schema v6): the first's values, {@code run_last}, and the times and contents in a
 * {@link RunBody}; SQLite's work per stored row (its b-tree insert, its page and WAL bytes) is then paid
 * once per run. A row already stored (same conversation, history and sequence, alone or in a run) stays as it
 * was: what rows hold of a group's sequences is left out first ({@link StoredRanges}), and of two rows of one
 * sequence in one statement the first wins ({@code INSERT OR IGNORE}), as with one statement per row.
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

    /**
     * A run's body at most: its row keeps ~1,000 bytes in its 4 KiB page of the {@code WITHOUT ROWID} b-tree
     * and the rest in one overflow page at most, which a seek that compares with the row reads (a longer run
     * would make every such comparison read a chain of them).
     */
    static final int MAX_RUN_BYTES = 3_900;
    private static final String RUN = "INSERT OR IGNORE INTO messages (conversation, generation, content_type,"
            + " sequence, id, sender, sent_at_ns, content, fallback, run_last)"
            + " VALUES (?, ?, ?, ?, X'', ?, ?, ?, NULL, ?)";

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

    /**
     * Inserts every row not stored already (statements run in the caller's transaction): per group of up
     * to {@value #MAX_ROWS} rows that share a statement, what rows hold already is left out, then each run
     * ({@link #runEnd}) is one row, the other rows one statement per power of two.
     */
    void writeTo(Statements sql, Names names) throws SQLException {
        int start = 0;
        while (start < rows.size()) {
            int end = start + 1;
            while (end < rows.size() && end - start < MAX_ROWS && rows.get(end).sharesStatementWith(rows.get(start))) {
                end++;
            }
            long conversation = names.key(sql, rows.get(start).conversationId());
            write(sql, names, conversation, notStored(sql, conversation, rows.subList(start, end)));
            start = end;
        }
    }

    private static void write(Statements sql, Names names, long conversation, List<MessageRow> group)
            throws SQLException {
        List<MessageRow> single = new ArrayList<>();
        for (int start = 0; start < group.size(); ) {
            int end = runEnd(group, start);
            if (end - start > 1) {
                insertRun(sql, names, conversation, group.subList(start, end));
            } else {
                single.add(group.get(start));
            }
            start = end;
        }
        for (int from = 0; from < single.size(); ) {
            int count = Integer.highestOneBit(single.size() - from);
            insert(sql, names, conversation, single, from, count);
            from += count;
        }
    }

    /**
     * {@code group} without the rows whose sequences rows hold already, and without a later row of a
     * sequence the group has twice: a row stored keeps its first version.
     */
    private static List<MessageRow> notStored(Statements sql, long conversation, List<MessageRow> group)
            throws SQLException {
        long from = group.get(0).sequence();
        long to = from;
        boolean increasing = true;
        for (int i = 1; i < group.size(); i++) {
            long sequence = group.get(i).sequence();
            increasing &= sequence > group.get(i - 1).sequence();
            from = Math.min(from, sequence);
            to = Math.max(to, sequence);
        }
        StoredRanges stored = StoredRanges.of(sql, conversation, group.get(0).generation(), from, to);
        if (stored.isEmpty() && increasing) {
            return group;
        }
        Set<Long> seen = increasing ? null : new HashSet<>();
        List<MessageRow> left = new ArrayList<>(group.size());
        for (MessageRow row : group) {
            if (!stored.holds(row.sequence()) && (seen == null || seen.add(row.sequence()))) {
                left.add(row);
            }
        }
        return left;
    }

    /**
     * Where the run starting at {@code start} ends (exclusive): consecutive sequences of one sender, ids left
     * out, no fallback texts, {@value #MAX_RUN_BYTES} bytes of body at most. A run of two or more is stored as
     * one row: the first's sequence, time and sender, the last's sequence in {@code run_last}, the times and
     * contents in a {@link RunBody}.
     */
    private static int runEnd(List<MessageRow> group, int start) {
        MessageRow first = group.get(start);
        if (first.id() != null || first.fallback() != null) {
            return start + 1; // alike in every row of the group
        }
        int end = start + 1;
        int bytes = RunBody.size(first);
        while (end < group.size() && group.get(end).sequence() == first.sequence() + (end - start)
                && group.get(end).senderInboxId().equals(first.senderInboxId())
                && (bytes += RunBody.size(group.get(end))) <= MAX_RUN_BYTES) {
            end++;
        }
        return end;
    }

    private static void insertRun(Statements sql, Names names, long conversation, List<MessageRow> run)
            throws SQLException {
        MessageRow first = run.get(0);
        long contentType = names.key(sql, first.contentType());
        long sender = names.key(sql, first.senderInboxId());
        byte[] body = RunBody.pack(run);
        sql.update(RUN, statement -> {
            statement.setLong(1, conversation);
            statement.setLong(2, first.generation());
            statement.setLong(3, contentType);
            statement.setLong(4, first.sequence());
            statement.setLong(5, sender);
            statement.setLong(6, first.sentAtNs());
            statement.setBytes(7, body);
            statement.setLong(8, first.sequence() + run.size() - 1);
        });
    }

    private static void insert(Statements sql, Names names, long conversation, List<MessageRow> rows, int from,
                               int count) throws SQLException {
        MessageRow first = rows.get(from);
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
