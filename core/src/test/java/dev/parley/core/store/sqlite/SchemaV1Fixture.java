package dev.parley.core.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes {@code src/test/resources/store/schema-v1.db}: a client database as schema version 1
 * made it (inbox {@code inbox-me}, one group "c" with messages 1 to 3, consent, cursors). Run once,
 * the file is committed: {@code java -cp <test classpath> dev.parley.core.store.sqlite.SchemaV1Fixture <file>}.
 */
public final class SchemaV1Fixture {
    private SchemaV1Fixture() {
    }

    public static void main(String[] args) throws SQLException, java.io.IOException {
        Path file = Path.of(args[0]);
        Files.deleteIfExists(file);
        try (DatabaseFile db = DatabaseFile.open(file, 1);
             Statement sql = db.connection().createStatement()) {
            sql.execute("INSERT INTO meta VALUES ('inbox_id', 'inbox-me')");
            sql.execute("INSERT INTO conversations VALUES ('c', 'GROUP', 'inbox-me', 10, 'g-c')");
            sql.execute("INSERT INTO members VALUES ('c', 0, 'inbox-me'), ('c', 1, 'inbox-b')");
            sql.execute("INSERT INTO consent VALUES ('c', 'ALLOWED', 20)");
            for (int i = 1; i <= 3; i++) {
                String hex = java.util.HexFormat.of().formatHex(("text " + i).getBytes(StandardCharsets.UTF_8));
                sql.execute("INSERT INTO messages VALUES ('c', " + i + ", 'c#" + i + "', 'inbox-b', " + (1_000 + i)
                        + ", 'parley.dev/text:1.0', X'" + hex + "', NULL)");
            }
            sql.execute("INSERT INTO sync_cursors VALUES ('conv/c', 3)");
            sql.execute("INSERT INTO durable_cursors VALUES ('app', 'conv/c', 2)");
            sql.execute("PRAGMA journal_mode = DELETE"); // everything in the one file
        }
        Files.deleteIfExists(Path.of(file + ".lock"));
    }
}
