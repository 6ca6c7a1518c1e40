package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.store.IdempotencyIndex;
import dev.parley.spi.Envelope;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Schema v5: table {@code messages} (one row per entry, with its unique index by idempotency key)
 * becomes table {@code chunks} (consecutive entries of a topic in one row, see {@link ChunkCodec}),
 * every entry kept with its sequence, timestamp, sender, key and payload; the database gets the
 * secret key its key hashes are made under ({@value #KEY_HASH_KEY} in {@code meta}). Runs inside the
 * migration's transaction.
 */
final class ChunkMigration {
    /** The {@code meta} row holding the hash key of the stored key hashes, two 64-bit halves in hex. */
    static final String KEY_HASH_KEY = "key_hash_key";
    private static final int ENTRIES_PER_FLUSH = 4096;

    private ChunkMigration() {
    }

    static void run(Connection c, Statement s) throws SQLException {
        s.execute("CREATE TABLE chunks (topic INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
                + " last_ts INTEGER NOT NULL, key_hashes BLOB NOT NULL, body BLOB NOT NULL,"
                + " PRIMARY KEY (topic, first_seq)) WITHOUT ROWID");
        SecureRandom random = new SecureRandom();
        long k0 = random.nextLong();
        long k1 = random.nextLong();
        SqliteSchema.putMeta(c, KEY_HASH_KEY, Long.toHexString(k0) + ":" + Long.toHexString(k1));
        try (ChunkRows chunks = new ChunkRows(c);
             ResultSet rs = s.executeQuery("SELECT topic, seq, ts, sender, idem_key, payload FROM messages"
                     + " ORDER BY topic, seq")) {
            long topic = -1;
            long last = -1;
            int pending = 0;
            while (rs.next()) {
                long seq = rs.getLong(2);
                if (pending == ENTRIES_PER_FLUSH || rs.getLong(1) != topic || seq != last + 1) {
                    chunks.flush(); // a chunk holds consecutive sequences of one topic
                    pending = 0;
                }
                topic = rs.getLong(1);
                last = seq;
                String key = rs.getString(5);
                chunks.add(topic, new Envelope("#" + topic, seq, rs.getLong(3), rs.getBytes(6), key, rs.getString(4)),
                        IdempotencyIndex.hash(k0, k1, key));
                pending++;
            }
            chunks.flush();
        }
        s.execute("DROP TABLE messages");
    }
}
