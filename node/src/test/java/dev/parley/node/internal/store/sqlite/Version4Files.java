package dev.parley.node.internal.store.sqlite;

import dev.parley.spi.Envelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Takes a node database of schema version 5 or 6 (entries as chunks) back to what a node of version 4 left: a row per entry, an index by key. */
final class Version4Files {
    private Version4Files() {
    }

    static void undoVersion5(Connection raw) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE messages (topic INTEGER NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,"
                    + " sender TEXT NOT NULL, idem_key TEXT NOT NULL, payload BLOB NOT NULL,"
                    + " PRIMARY KEY (topic, seq)) WITHOUT ROWID");
            s.execute("CREATE UNIQUE INDEX messages_by_key ON messages (topic, idem_key)");
            try (PreparedStatement insert = raw.prepareStatement("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?)");
                 ResultSet rs = raw.createStatement().executeQuery("SELECT topic, first_seq, last_seq, body FROM chunks")) {
                while (rs.next()) {
                    for (Envelope e : ChunkCodec.decode("t", rs.getLong(2), rs.getLong(3), rs.getBytes(4))) {
                        insert.setLong(1, rs.getLong(1));
                        insert.setLong(2, e.sequence());
                        insert.setLong(3, e.timestampNs());
                        insert.setString(4, e.senderInboxId());
                        insert.setString(5, e.idempotencyKey());
                        insert.setBytes(6, e.payload());
                        insert.executeUpdate();
                    }
                }
            }
            s.execute("DROP TABLE chunks");
            s.execute("DELETE FROM meta WHERE key = '" + ChunkMigration.KEY_HASH_KEY + "'");
            s.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'");
        }
    }
}
