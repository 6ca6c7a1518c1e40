package dev.parley.core.store.sqlite;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The integer keys message rows store instead of the conversation id, sender inbox id and content type
 * repeated in every row (schema version 4, table {@code names}): a name gets its key in the transaction
 * of the first row that needs it. All of them are kept in memory (one per conversation, sender and
 * content type, as conversations are), read from the file at first use. Used by the one writing thread,
 * inside its transactions; after a failed transaction {@link #forget()} drops what may not have committed.
 */
final class Names {
    private final Map<String, Long> keys = new HashMap<>();
    private long last = -1; // -1: not read from the file yet

    /** The key of {@code name}, written in the current transaction if it is new. */
    long key(Statements sql, String name) throws SQLException {
        if (last < 0) {
            load(sql);
        }
        Long key = keys.get(name);
        if (key != null) {
            return key;
        }
        long fresh = last + 1;
        sql.update("INSERT INTO names (key, name) VALUES (?, ?)", fresh, name);
        keys.put(name, fresh);
        last = fresh;
        return fresh;
    }

    /** Forgets every key (read again at the next use): a transaction that wrote some may have rolled back. */
    void forget() {
        keys.clear();
        last = -1;
    }

    private void load(Statements sql) throws SQLException {
        List<Map.Entry<String, Long>> stored = sql.query("SELECT name, key FROM names",
                row -> Map.entry(row.getString(1), row.getLong(2)));
        last = 0;
        for (Map.Entry<String, Long> name : stored) {
            keys.put(name.getKey(), name.getValue());
            last = Math.max(last, name.getValue());
        }
    }
}
