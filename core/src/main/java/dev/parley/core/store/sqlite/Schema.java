package dev.parley.core.store.sqlite;

import dev.parley.LocalStoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of the client's database. The version is SQLite's {@code user_version};
 * migrations run forward, each in its own transaction; a file of a newer version is refused.
 * Version 1: conversations, members, consent, messages by (conversation, sequence), sync and
 * durable cursors, meta (owner inbox). Version 2: node histories (a generation per adopted epoch),
 * messages by (conversation, generation, sequence), so that no write of a replaced history can
 * land among the new one's rows. Version 3: group membership that changes: each conversation's
 * admins, whether this inbox is still in it, and the sequence of the group update its state comes from.
 * Version 4: message rows keep their conversation id, sender inbox id and content type as integer keys
 * of {@code names} (a row is about half as long: fewer pages written per message). Version 5: a message
 * row whose id is the one its conversation and sequence give stores an empty blob instead (made again when
 * read); nothing to migrate, the version only keeps older code, which would read those ids empty, out.
 * Version 6: a row may hold a run of received messages ({@code run_last}, before the content: its last
 * sequence; the times and contents in {@code content}, {@link RunBody}); older rows have none.
 */
final class Schema {
    /** {@code PRAGMA application_id} of a Parley client database ("PRLY"). */
    static final int APPLICATION_ID = 0x50524C59;

    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                    "CREATE TABLE conversations (id TEXT PRIMARY KEY, type TEXT NOT NULL,"
                            + " creator_inbox_id TEXT NOT NULL, created_at_ns INTEGER NOT NULL, name TEXT NOT NULL)",
                    "CREATE TABLE members (conversation_id TEXT NOT NULL, position INTEGER NOT NULL,"
                            + " inbox_id TEXT NOT NULL, PRIMARY KEY (conversation_id, position))",
                    "CREATE TABLE consent (conversation_id TEXT PRIMARY KEY, state TEXT NOT NULL,"
                            + " updated_at_ns INTEGER NOT NULL)",
                    "CREATE TABLE messages (conversation_id TEXT NOT NULL, sequence INTEGER NOT NULL,"
                            + " id TEXT NOT NULL, sender_inbox_id TEXT NOT NULL, sent_at_ns INTEGER NOT NULL,"
                            + " content_type TEXT NOT NULL, content BLOB, fallback TEXT,"
                            + " PRIMARY KEY (conversation_id, sequence)) WITHOUT ROWID",
                    "CREATE TABLE sync_cursors (topic TEXT PRIMARY KEY, sequence INTEGER NOT NULL)",
                    "CREATE TABLE durable_cursors (stream TEXT NOT NULL, topic TEXT NOT NULL,"
                            + " sequence INTEGER NOT NULL, PRIMARY KEY (stream, topic))"),
            List.of(
                    "CREATE TABLE messages_v2 (conversation_id TEXT NOT NULL, generation INTEGER NOT NULL,"
                            + " sequence INTEGER NOT NULL, id TEXT NOT NULL, sender_inbox_id TEXT NOT NULL,"
                            + " sent_at_ns INTEGER NOT NULL, content_type TEXT NOT NULL, content BLOB, fallback TEXT,"
                            + " PRIMARY KEY (conversation_id, generation, sequence)) WITHOUT ROWID",
                    "INSERT INTO messages_v2 SELECT conversation_id, 0, sequence, id, sender_inbox_id, sent_at_ns,"
                            + " content_type, content, fallback FROM messages",
                    "DROP TABLE messages",
                    "ALTER TABLE messages_v2 RENAME TO messages",
                    "INSERT INTO meta (key, value) VALUES ('generation', '0')"),
            List.of(
                    "ALTER TABLE conversations ADD COLUMN admins TEXT NOT NULL DEFAULT ''",
                    "UPDATE conversations SET admins = creator_inbox_id",
                    "ALTER TABLE conversations ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
                    "ALTER TABLE conversations ADD COLUMN state_sequence INTEGER NOT NULL DEFAULT 0"),
            List.of(
                    "CREATE TABLE names (key INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
                    "INSERT OR IGNORE INTO names (name) SELECT conversation_id FROM messages",
                    "INSERT OR IGNORE INTO names (name) SELECT sender_inbox_id FROM messages",
                    "INSERT OR IGNORE INTO names (name) SELECT content_type FROM messages",
                    "CREATE TABLE messages_v4 (conversation INTEGER NOT NULL, generation INTEGER NOT NULL,"
                            + " sequence INTEGER NOT NULL, id TEXT NOT NULL, sender INTEGER NOT NULL,"
                            + " sent_at_ns INTEGER NOT NULL, content_type INTEGER NOT NULL, content BLOB, fallback TEXT,"
                            + " PRIMARY KEY (conversation, generation, sequence)) WITHOUT ROWID",
                    "INSERT INTO messages_v4 SELECT c.key, m.generation, m.sequence, m.id, s.key, m.sent_at_ns, t.key,"
                            + " m.content, m.fallback FROM messages m JOIN names c ON c.name = m.conversation_id"
                            + " JOIN names s ON s.name = m.sender_inbox_id JOIN names t ON t.name = m.content_type",
                    "DROP TABLE messages",
                    "ALTER TABLE messages_v4 RENAME TO messages"),
            // rows may leave their id out (an empty blob, made again when read): older code would read it empty
            List.of(),
            // a row may hold a run of messages (up to run_last, times and contents in its content: RunBody);
            // run_last before the content, so that reading it never reads a long run's overflow pages
            List.of("CREATE TABLE messages_v6 (conversation INTEGER NOT NULL, generation INTEGER NOT NULL,"
                            + " sequence INTEGER NOT NULL, run_last INTEGER, id TEXT NOT NULL, sender INTEGER NOT NULL,"
                            + " sent_at_ns INTEGER NOT NULL, content_type INTEGER NOT NULL, content BLOB, fallback TEXT,"
                            + " PRIMARY KEY (conversation, generation, sequence)) WITHOUT ROWID",
                    "INSERT INTO messages_v6 SELECT conversation, generation, sequence, NULL, id, sender, sent_at_ns,"
                            + " content_type, content, fallback FROM messages",
                    "DROP TABLE messages",
                    "ALTER TABLE messages_v6 RENAME TO messages"));

    /** The version this code writes. */
    static final int LATEST = MIGRATIONS.size();

    private Schema() {
    }

    /**
     * Brings the file up to {@code target} ({@link #LATEST}; tests make older files); refuses another
     * application's file or a newer version.
     */
    static void migrate(Connection connection, String file, int target) throws SQLException {
        int applicationId = pragma(connection, "application_id");
        int version = pragma(connection, "user_version");
        if (applicationId == 0 && version == 0 && hasTables(connection)) {
            throw new LocalStoreException(LocalStoreException.Reason.FOREIGN,
                    file + " is an SQLite database of another application, not a Parley client database");
        }
        if (applicationId != 0 && applicationId != APPLICATION_ID) {
            throw new LocalStoreException(LocalStoreException.Reason.FOREIGN,
                    file + " is not a Parley client database (application id " + applicationId + ")");
        }
        if (version > LATEST) {
            throw new LocalStoreException(LocalStoreException.Reason.NEWER_SCHEMA, file + " has schema version "
                    + version + ", newer than this Parley knows (" + LATEST + "); use a newer Parley");
        }
        for (int next = version + 1; next <= target; next++) {
            apply(connection, next);
        }
    }

    private static void apply(Connection connection, int version) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : MIGRATIONS.get(version - 1)) {
                statement.execute(sql);
            }
            statement.execute("PRAGMA application_id = " + APPLICATION_ID);
            statement.execute("PRAGMA user_version = " + version);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static boolean hasTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
            return rows.next() && rows.getInt(1) > 0;
        }
    }

    static int pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("PRAGMA " + name)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
