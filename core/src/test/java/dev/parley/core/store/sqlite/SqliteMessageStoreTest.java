package dev.parley.core.store.sqlite;

import dev.parley.ConsentRecord;
import dev.parley.ConsentState;
import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import dev.parley.LocalStoreException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.conversation.EnvelopeProcessor;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.MessageStore;
import dev.parley.core.store.MessageStoreContract;
import dev.parley.internal.Topics;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteMessageStoreTest extends MessageStoreContract {
    private static final Codecs CODECS = new Codecs(List.of());

    @TempDir
    Path dir;

    @Override
    protected MessageStore newStore() {
        return SqliteMessageStore.open(dir.resolve("contract.db"), ME, CODECS);
    }

    private SqliteMessageStore reopen(Path file) {
        return SqliteMessageStore.open(file, ME, CODECS);
    }

    @Test
    void everythingComesBackAfterReopening() {
        Path file = dir.resolve("client.db");
        try (SqliteMessageStore first = reopen(file)) {
            first.putConversation(conversation("c", 1));
            first.putConsent(new ConsentRecord("c", ConsentState.ALLOWED, 5));
            first.adoptEpoch("e1");
            first.putMessage(message("c", 1), 1);
            first.putMessage(message("c", 2), 2);
            first.advanceCursor(Topics.conversation("c"), 2);
            first.advanceDurableCursor("app", Topics.conversation("c"), 1);
        }
        try (SqliteMessageStore again = reopen(file)) {
            assertThat(again.conversations()).containsExactly(conversation("c", 1));
            assertThat(again.consent("c")).contains(new ConsentRecord("c", ConsentState.ALLOWED, 5));
            assertThat(again.messages("c")).containsExactly(message("c", 1), message("c", 2));
            assertThat(again.cursor(Topics.conversation("c"))).isEqualTo(2);
            assertThat(again.durableCursors("app")).isEqualTo(Map.of(Topics.conversation("c"), 1L));
            assertThat(again.nodeEpoch()).contains("e1");
        }
    }

    @Test
    void membershipChangesComeBackAfterReopening() {
        Path file = dir.resolve("client.db");
        ConversationRecord left = conversation("g", 1).updated(7, List.of("inbox-b", "inbox-c"), List.of("inbox-c"),
                "new name", ME);
        try (SqliteMessageStore first = reopen(file)) {
            first.putConversation(conversation("g", 1));
            first.putConversation(left);
        }
        try (SqliteMessageStore again = reopen(file)) {
            assertThat(again.conversations()).containsExactly(left);
            assertThat(again.putConversation(conversation("g", 1))).as("the creation state is older").isFalse();
        }
    }

    @Test
    void aReplacedHistoryStaysForgottenAcrossReopening() {
        Path file = dir.resolve("client.db");
        try (SqliteMessageStore first = reopen(file)) {
            first.adoptEpoch("e1");
            first.putConversation(conversation("c", 1));
            first.putMessage(message("c", 1), 1);
            first.adoptEpoch("e2");
        }
        try (SqliteMessageStore again = reopen(file)) {
            assertThat(again.conversations()).isEmpty();
            assertThat(again.messages("c")).isEmpty();
            assertThat(again.adoptEpoch("e2")).isFalse();
            again.putMessage(message("c", 1), 1);
            assertThat(again.messages("c")).hasSize(1);
        }
    }

    @Test
    void aTransactionCommitsOnceHoweverManyWritesItHas() {
        SqliteMessageStore sqlite = (SqliteMessageStore) store;
        long before = sqlite.commits();
        sqlite.inTransaction(() -> IntStream.rangeClosed(1, 500).forEach(i -> {
            sqlite.putMessage(message("c", i), i);
            sqlite.advanceCursor(Topics.conversation("c"), i);
            sqlite.advanceDurableCursor("s", Topics.conversation("c"), i);
        }));

        assertThat(sqlite.commits() - before).isEqualTo(1);
        assertThat(sqlite.messages("c")).hasSize(500);
        sqlite.putMessage(message("c", 501), 501); // outside a transaction: commits at once
        assertThat(sqlite.commits() - before).isEqualTo(2);
    }

    @RepeatedTest(3)
    @Timeout(30)
    void aNewNodeHistoryWhileAnotherThreadWritesNeitherBlocksNorMixesHistories() throws Exception {
        int runs = 2_000;
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= runs; i++) {
                int sequence = i;
                store.inTransaction(() -> {
                    store.putMessage(message("c", sequence), sequence);
                    store.advanceCursor("t", sequence);
                });
            }
        });
        for (int epoch = 0; !writing.isDone(); epoch++) {
            store.adoptEpoch("e" + epoch);
        }
        writing.get(20, TimeUnit.SECONDS);

        // what survives was written after the last new history: a run of sequences up to the last,
        // and the cursor agrees with it
        List<Long> kept = store.messages("c").stream().map(m -> Long.parseLong(m.id().substring(2))).toList();
        if (kept.isEmpty()) {
            assertThat(store.cursor("t")).isZero();
        } else {
            assertThat(kept).containsExactlyElementsOf(
                    LongStream.rangeClosed(kept.get(0), runs).boxed().toList());
            assertThat(store.cursor("t")).isEqualTo(runs);
        }
    }

    @Test
    void aReadInsideATransactionSeesItsOwnWrites() {
        store.inTransaction(() -> {
            store.putMessage(message("c", 1), 1);
            assertThat(store.messages("c")).hasSize(1);
        });
    }

    @Test
    void anotherInboxIsRefused() {
        Path file = dir.resolve("client.db");
        reopen(file).close();

        assertThatThrownBy(() -> SqliteMessageStore.open(file, "inbox-other", CODECS))
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.OTHER_INBOX))
                .hasMessageContaining("belongs to inbox " + ME);
        reopen(file).close(); // the refused open left nothing locked
    }

    @Test
    void aSecondOpenWhileTheFirstHoldsTheFileIsRefused() {
        Path file = dir.resolve("client.db");
        try (SqliteMessageStore first = reopen(file)) {
            assertThatThrownBy(() -> reopen(file))
                    .isInstanceOfSatisfying(LocalStoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.LOCKED))
                    .hasMessageContaining("open in another client");
        }
        reopen(file).close();
    }

    @Test
    void aFileThatIsNotSqliteIsRefused() throws IOException {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "these are not the bytes of a database ".repeat(200));

        assertThatThrownBy(() -> reopen(file))
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.FOREIGN));
    }

    @Test
    void anotherApplicationsDatabaseIsRefused() throws SQLException {
        Path file = dir.resolve("other.db");
        execute(file, "CREATE TABLE accounts (id INTEGER PRIMARY KEY)");

        assertThatThrownBy(() -> reopen(file))
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.FOREIGN))
                .hasMessageContaining("another application");
    }

    @Test
    void aNewerSchemaIsRefused() throws SQLException {
        Path file = dir.resolve("client.db");
        reopen(file).close();
        execute(file, "PRAGMA user_version = " + (Schema.LATEST + 1));

        assertThatThrownBy(() -> reopen(file))
                .isInstanceOfSatisfying(LocalStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(LocalStoreException.Reason.NEWER_SCHEMA))
                .hasMessageContaining("schema version " + (Schema.LATEST + 1));
    }

    @Test
    void aVersionOneFileIsMigratedAndKeepsItsData() throws IOException, SQLException {
        Path file = dir.resolve("v1.db");
        try (InputStream fixture = getClass().getResourceAsStream("/store/schema-v1.db")) {
            assertThat(fixture).as("fixture schema-v1.db").isNotNull();
            Files.copy(fixture, file);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(Schema.pragma(c, "user_version")).isEqualTo(1);
        }

        try (SqliteMessageStore migrated = reopen(file)) {
            assertThat(migrated.conversations()).containsExactly(conversation("c", 10));
            assertThat(migrated.consent("c")).contains(new ConsentRecord("c", ConsentState.ALLOWED, 20));
            assertThat(migrated.messages("c")).containsExactly(message("c", 1), message("c", 2), message("c", 3));
            assertThat(migrated.cursor(Topics.conversation("c"))).isEqualTo(3);
            assertThat(migrated.durableCursors("app")).isEqualTo(Map.of(Topics.conversation("c"), 2L));
            migrated.adoptEpoch("e1");
            migrated.adoptEpoch("e2");
            assertThat(migrated.messages("c")).as("the old history is forgotten").isEmpty();
            migrated.putMessage(message("c", 1), 1);
            assertThat(migrated.messages("c")).hasSize(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(Schema.pragma(c, "user_version")).isEqualTo(Schema.LATEST);
        }
    }

    @Test
    void aVersionThreeFileGetsItsMessageNamesAsKeysAndKeepsItsMessages() throws SQLException {
        Path file = dir.resolve("v3.db");
        try (DatabaseFile v3 = DatabaseFile.open(file, 3); Statement sql = v3.connection().createStatement()) {
            sql.execute("INSERT INTO meta VALUES ('inbox_id', '" + ME + "')");
            for (String conversation : List.of("c", "d")) {
                for (int i = 1; i <= 3; i++) {
                    DecodedMessage m = message(conversation, i);
                    sql.execute("INSERT INTO messages VALUES ('" + conversation + "', 0, " + i + ", '" + m.id() + "', '"
                            + m.senderInboxId() + "', " + m.sentAtNs() + ", '" + m.contentType() + "', X'"
                            + HexFormat.of().formatHex(((String) m.content()).getBytes(StandardCharsets.UTF_8))
                            + "', NULL)");
                }
            }
        }

        try (SqliteMessageStore migrated = reopen(file)) {
            assertThat(migrated.messages("c")).containsExactly(message("c", 1), message("c", 2), message("c", 3));
            assertThat(migrated.messages("d")).containsExactly(message("d", 1), message("d", 2), message("d", 3));
            migrated.putMessage(message("c", 4), 4);
            migrated.putMessage(message("e", 1), 1);
            assertThat(migrated.messages("c")).hasSize(4).last().isEqualTo(message("c", 4));
            assertThat(migrated.messages("e")).containsExactly(message("e", 1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             var names = s.executeQuery("SELECT count(*) FROM names")) {
            assertThat(Schema.pragma(c, "user_version")).isEqualTo(Schema.LATEST);
            assertThat(names.next()).isTrue();
            assertThat(names.getInt(1)).as("c, d, e, one sender, one content type").isEqualTo(5);
        }
        try (SqliteMessageStore reopened = reopen(file)) {
            assertThat(reopened.messages("c")).hasSize(4);
            reopened.putMessage(message("f", 1), 1); // keys are read back from the file, none taken twice
            assertThat(reopened.messages("f")).containsExactly(message("f", 1));
            assertThat(reopened.messages("e")).containsExactly(message("e", 1));
        }
    }

    @Test
    void aVersionFiveFileKeepsItsMessagesConversationsConsentAndCursorsAndTakesRuns() throws SQLException {
        Path file = dir.resolve("v5.db");
        try (Database v5 = new Database(DatabaseFile.open(file, 5))) {
            Names names = new Names();
            v5.transaction("write a v5 file", sql -> {
                Rows.meta(sql, "inbox_id", ME);
                Rows.conversation(sql, conversation("c", 1));
                Rows.consent(sql, new ConsentRecord("c", ConsentState.ALLOWED, 5));
                Rows.syncCursor(sql, Topics.conversation("c"), 2);
                Rows.durableCursor(sql, "app", Topics.conversation("c"), 1);
                insertVersionFiveRow(sql, names, message("c", 1), 1, message("c", 1).id());
                insertVersionFiveRow(sql, names, received(2), 2, new byte[0]); // its id left out
                return null;
            });
        }

        try (SqliteMessageStore migrated = reopen(file)) {
            assertThat(migrated.conversations()).containsExactly(conversation("c", 1));
            assertThat(migrated.consent("c")).contains(new ConsentRecord("c", ConsentState.ALLOWED, 5));
            assertThat(migrated.messages("c")).containsExactly(message("c", 1), received(2));
            assertThat(migrated.cursor(Topics.conversation("c"))).isEqualTo(2);
            assertThat(migrated.durableCursors("app")).isEqualTo(Map.of(Topics.conversation("c"), 1L));
            // a run reaching back over a stored row: only the new sequences land, as one run row
            migrated.inTransaction(() -> LongStream.rangeClosed(2, 6).forEach(s -> migrated.putMessage(received(s), s)));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT sequence, run_last FROM messages ORDER BY sequence")) {
            assertThat(Schema.pragma(c, "user_version")).isEqualTo(Schema.LATEST);
            List<String> stored = new ArrayList<>();
            while (rows.next()) {
                stored.add(rows.getLong(1) + ".." + rows.getString(2));
            }
            assertThat(stored).containsExactly("1..null", "2..null", "3..6");
        }
        try (SqliteMessageStore reopened = reopen(file)) {
            List<DecodedMessage> expected = new ArrayList<>(List.of(message("c", 1)));
            LongStream.rangeClosed(2, 6).mapToObj(this::received).forEach(expected::add);
            assertThat(reopened.messages("c")).containsExactlyElementsOf(expected);
            assertThat(reopened.cursor(Topics.conversation("c"))).isEqualTo(2);
        }
    }

    @Test
    void anIdItsConversationAndSequenceGiveIsLeftOutOfTheRowAndComesBackAfterReopening() throws SQLException {
        Path file = dir.resolve("client.db");
        List<DecodedMessage> sent = LongStream.rangeClosed(1, 5).mapToObj(this::received).toList();
        DecodedMessage ownId = new DecodedMessage("my-own-id", "c", "inbox-b", 6, ContentTypeId.TEXT, "text 6", null);
        DecodedMessage sameTextOtherInstance = new DecodedMessage(new String(received(7).id().toCharArray()), "c",
                "inbox-b", 7, ContentTypeId.TEXT, "text 7", null);
        try (SqliteMessageStore store = reopen(file)) {
            store.inTransaction(() -> {
                for (int i = 0; i < 5; i++) {
                    // made just now for this conversation and sequence, as the receive path does
                    DecodedMessage message = received(i + 1);
                    store.putMessage(message, i + 1);
                }
                store.putMessage(ownId, 6);
                store.putMessage(sameTextOtherInstance, 7);
            });
            assertThat(store.messages("c")).hasSize(7);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             var kept = s.executeQuery("SELECT sequence FROM messages WHERE typeof(id) = 'text' ORDER BY sequence")) {
            assertThat(kept.next()).isTrue();
            assertThat(kept.getLong(1)).as("an id not known to be made from the row").isEqualTo(6);
            assertThat(kept.next()).isTrue();
            assertThat(kept.getLong(1)).as("the same text, but not known without a digest").isEqualTo(7);
            assertThat(kept.next()).isFalse();
        }
        try (SqliteMessageStore again = reopen(file)) {
            List<DecodedMessage> expected = new ArrayList<>(sent);
            expected.add(ownId);
            expected.add(sameTextOtherInstance);
            assertThat(again.messages("c")).containsExactlyElementsOf(expected);
        }
    }

    private static void insertVersionFiveRow(Statements sql, Names names, DecodedMessage m, long sequence, Object id)
            throws SQLException {
        sql.update("INSERT INTO messages VALUES (?, 0, ?, ?, ?, ?, ?, ?, NULL)", names.key(sql, m.conversationId()),
                sequence, id, names.key(sql, m.senderInboxId()), m.sentAtNs(),
                names.key(sql, m.contentType().toString()), ((String) m.content()).getBytes(StandardCharsets.UTF_8));
    }

    /** A received message of conversation "c", its id made as the receive path makes it. */
    private DecodedMessage received(long sequence) {
        return new DecodedMessage(EnvelopeProcessor.messageId(Topics.conversation("c"), sequence), "c", "inbox-b",
                sequence, ContentTypeId.TEXT, "text " + sequence, null);
    }

    private static void execute(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
