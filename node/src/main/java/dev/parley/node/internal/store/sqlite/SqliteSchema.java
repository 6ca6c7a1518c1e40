package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The node database's schema, versioned: {@code PRAGMA application_id} marks the file as Parley's,
 * table {@code meta} holds the schema version and the epoch (made once, when the file is created).
 * Opening migrates an older schema forward, one step per version, in one transaction; a newer
 * version, or a file of another application, is refused.
 */
final class SqliteSchema {
    /** "PRLY": what {@code PRAGMA application_id} holds in a Parley node database. */
    static final int APPLICATION_ID = 0x50524C59;

    /** One step of the schema, run in the migration's transaction. */
    private interface Migration {
        void run(Connection c, Statement s) throws SQLException;
    }

    private static Migration sql(String... statements) {
        return (c, s) -> {
            for (String sql : statements) {
                s.execute(sql);
            }
        };
    }

    /** Migration {@code i} takes the schema from version {@code i} to {@code i + 1}. */
    private static final List<Migration> MIGRATIONS = List.of(sql(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            // messages refer to their topic by id: narrow keys in the table and both indexes
            "CREATE TABLE topics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, last_seq INTEGER NOT NULL)",
            "CREATE TABLE messages (topic INTEGER NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,"
                    + " sender TEXT NOT NULL, idem_key TEXT NOT NULL, payload BLOB NOT NULL,"
                    + " PRIMARY KEY (topic, seq)) WITHOUT ROWID",
            "CREATE UNIQUE INDEX messages_by_key ON messages (topic, idem_key)",
            "CREATE INDEX messages_by_time ON messages (ts)",
            "CREATE TABLE conversations (id TEXT PRIMARY KEY, type TEXT NOT NULL, creator TEXT NOT NULL,"
                    + " created_ns INTEGER NOT NULL, name TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE members (conversation_id TEXT NOT NULL, inbox_id TEXT NOT NULL,"
                    + " PRIMARY KEY (conversation_id, inbox_id)) WITHOUT ROWID"),
            // v2: payload bytes of the retained entries per sender, kept with every write (the quota of
            // bytes stored per inbox), so opening never scans the messages; counted once here
            sql("CREATE TABLE sender_bytes (sender TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID",
                    "INSERT INTO sender_bytes (sender, bytes) SELECT sender, sum(length(payload)) FROM messages"
                            + " GROUP BY sender"),
            // v3: group membership by sequence. Each membership of an inbox is a span of the conversation's
            // log [from_seq, to_seq] (to_seq NULL while it lasts); the current members have an open one.
            // Members so far are members from creation (from_seq 0), and the creator was the only admin.
            sql("CREATE TABLE member_spans (conversation_id TEXT NOT NULL, inbox_id TEXT NOT NULL,"
                            + " from_seq INTEGER NOT NULL, to_seq INTEGER,"
                            + " PRIMARY KEY (conversation_id, inbox_id, from_seq)) WITHOUT ROWID",
                    "INSERT INTO member_spans (conversation_id, inbox_id, from_seq, to_seq)"
                            + " SELECT conversation_id, inbox_id, 0, NULL FROM members",
                    "DROP TABLE members",
                    "CREATE TABLE admins (conversation_id TEXT NOT NULL, inbox_id TEXT NOT NULL,"
                            + " PRIMARY KEY (conversation_id, inbox_id)) WITHOUT ROWID",
                    "INSERT INTO admins (conversation_id, inbox_id) SELECT id, creator FROM conversations",
                    // the sequence of the last group update applied (0: none)
                    "ALTER TABLE conversations ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0"),
            // v4: no index by timestamp. Entries are stamped by a strictly increasing clock, so each topic's
            // entries older than an age are a prefix of it by sequence, and retention by age trims that
            // prefix through the primary key (WriteBatch.trim); the index cost every append a third b-tree
            // insert for a trim that runs seldom.
            sql("DROP INDEX messages_by_time"),
            // v5: entries as chunks (ChunkCodec), one row per topic per transaction, and no index by
            // idempotency key: the writer keeps the keys in memory (TopicKeyIndexes), built from the
            // chunks' key-hash column, hashed under the database's secret key_hash_key
            ChunkMigration::run,
            // v6: chunks in a rowid table, found through the index of its primary key (topic, first_seq).
            // WITHOUT ROWID kept each chunk (kilobytes) inside the b-tree of that key: a commit inserted one
            // per topic into the middle of it, splitting leaves, and index pages hold whole keys, so every
            // split copied a chunk into the interior pages with its overflow. A rowid table appends each
            // chunk at its right edge, and the index holds only (topic, first_seq, rowid).
            sql("ALTER TABLE chunks RENAME TO chunks_v5",
                    "CREATE TABLE chunks (topic INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
                            + " last_ts INTEGER NOT NULL, key_hashes BLOB NOT NULL, body BLOB NOT NULL,"
                            + " PRIMARY KEY (topic, first_seq))",
                    "INSERT INTO chunks (topic, first_seq, last_seq, last_ts, key_hashes, body)"
                            + " SELECT topic, first_seq, last_seq, last_ts, key_hashes, body FROM chunks_v5"
                            + " ORDER BY topic, first_seq",
                    "DROP TABLE chunks_v5"));
    static final int VERSION = MIGRATIONS.size();

    private SqliteSchema() {
    }

    /**
     * Creates or migrates the schema on {@code c} (the writer connection) and returns the epoch.
     *
     * @throws StoreException a foreign file, or a schema newer than this node knows
     */
    static String prepare(Connection c, Path database) throws SQLException {
        int applicationId = pragmaInt(c, "application_id");
        int tables = tableCount(c);
        if (applicationId != APPLICATION_ID && (applicationId != 0 || tables > 0)) {
            throw new StoreException(database + " is not a Parley node database (application id "
                    + Integer.toHexString(applicationId) + ", " + tables + " tables); move it away or choose another directory");
        }
        int version = tables == 0 ? 0 : Integer.parseInt(meta(c, "schema_version"));
        if (version > VERSION) {
            throw new StoreException(database + " has schema version " + version + ", newer than this node knows ("
                    + VERSION + "); run a newer Parley node");
        }
        if (version < VERSION) {
            migrate(c, version);
        }
        return meta(c, "epoch");
    }

    private static void migrate(Connection c, int from) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (int v = from; v < VERSION; v++) {
                MIGRATIONS.get(v).run(c, s);
            }
            if (from == 0) {
                s.execute("PRAGMA application_id = " + APPLICATION_ID);
                putMeta(c, "epoch", UUID.randomUUID().toString());
            }
            putMeta(c, "schema_version", Integer.toString(VERSION));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The secret key ({@code k0, k1}) the chunks' key hashes are made under. */
    static long[] keyHashKey(Connection c) throws SQLException {
        String[] halves = meta(c, ChunkMigration.KEY_HASH_KEY).split(":");
        if (halves.length != 2) {
            throw new StoreException("the node database's " + ChunkMigration.KEY_HASH_KEY + " is damaged");
        }
        return new long[]{Long.parseUnsignedLong(halves[0], 16), Long.parseUnsignedLong(halves[1], 16)};
    }

    static void putMeta(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
            put.setString(1, key);
            put.setString(2, value);
            put.executeUpdate();
        }
    }

    private static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement get = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            get.setString(1, key);
            try (ResultSet rs = get.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("the node database has no " + key + " in its meta table (damaged)");
                }
                return rs.getString(1);
            }
        }
    }

    private static int pragmaInt(Connection c, String pragma) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static int tableCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
