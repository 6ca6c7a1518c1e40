package dev.parley.node.internal.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Takes a node database of schema version 6 back to what a node of version 5 left: chunks in a WITHOUT ROWID table. */
final class Version5Files {
    private Version5Files() {
    }

    static void undoVersion6(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("ALTER TABLE chunks RENAME TO chunks_v6");
            s.execute("CREATE TABLE chunks (topic INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
                    + " last_ts INTEGER NOT NULL, key_hashes BLOB NOT NULL, body BLOB NOT NULL,"
                    + " PRIMARY KEY (topic, first_seq)) WITHOUT ROWID");
            s.execute("INSERT INTO chunks SELECT topic, first_seq, last_seq, last_ts, key_hashes, body FROM chunks_v6");
            s.execute("DROP TABLE chunks_v6");
            s.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'");
        }
    }
}
