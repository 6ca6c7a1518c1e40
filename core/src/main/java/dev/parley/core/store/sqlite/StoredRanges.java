package dev.parley.core.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The sequences of one conversation and history that rows hold already, within a range: a row holds its
 * {@code sequence}, or with a {@code run_last} (a run, schema v6) every sequence up to that one. Runs never
 * overlap other rows (what is stored already is left out before a row is written), so the only row
 * starting before the range that can reach into it is the last one before it.
 */
final class StoredRanges {
    private final List<long[]> ranges;

    private StoredRanges(List<long[]> ranges) {
        this.ranges = ranges;
    }

    /** What rows of {@code conversation} (a name key) and {@code generation} hold of {@code from..to}. */
    static StoredRanges of(Statements sql, long conversation, long generation, long from, long to)
            throws SQLException {
        List<long[]> ranges = sql.query("SELECT * FROM (SELECT sequence, run_last FROM messages"
                        + " WHERE conversation = ?1 AND generation = ?2 AND sequence < ?3"
                        + " ORDER BY sequence DESC LIMIT 1)"
                        + " WHERE run_last >= ?3 UNION ALL SELECT sequence, run_last FROM messages"
                        + " WHERE conversation = ?1 AND generation = ?2 AND sequence BETWEEN ?3 AND ?4",
                StoredRanges::range, conversation, generation, from, to);
        return new StoredRanges(ranges);
    }

    private static long[] range(ResultSet row) throws SQLException {
        long first = row.getLong(1);
        long last = row.getLong(2);
        return new long[] {first, row.wasNull() ? first : last};
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean holds(long sequence) {
        for (long[] range : ranges) {
            if (range[0] <= sequence && sequence <= range[1]) {
                return true;
            }
        }
        return false;
    }
}
