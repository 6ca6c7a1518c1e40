package dev.parley.core.store.sqlite;

import dev.parley.ContentTypeId;
import dev.parley.DecodedMessage;
import dev.parley.core.codec.Codecs;
import dev.parley.core.conversation.EnvelopeProcessor;
import dev.parley.internal.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-row INSERTs: whatever mix of conversations, content types, senders and fallbacks a commit holds,
 * and however long its runs (cut into statements of 64, 32, ... rows), every message is stored once, as
 * it came, and a row stored already (or twice in one commit) keeps its first version.
 */
class MessageRowsTest {
    private static final ContentTypeId OTHER = new ContentTypeId("example.com", "other", 1, 0);

    @TempDir
    Path dir;

    @Test
    void everyRowOfAMixedCommitIsStoredOnceAndTheFirstOfTwoWins() {
        List<MessageRow> first = new ArrayList<>();
        Map<String, Map<Long, MessageRow>> expected = Map.of("c", new TreeMap<>(), "d", new TreeMap<>());
        for (long s = 1; s <= 100; s++) { // a run of 100: 64 + 32 + 4 rows
            first.add(row("c", s, ContentTypeId.TEXT, "sender-" + (s % 3), null));
        }
        first.add(row("c", 5, ContentTypeId.TEXT, "sender-x", null)); // the same sequence again: ignored
        for (long s = 1; s <= 7; s++) { // another conversation, fallbacks on some rows, another content type
            first.add(row("d", s, s % 2 == 0 ? OTHER : ContentTypeId.TEXT, "sender-d", s % 3 == 0 ? "fallback " + s : null));
        }
        for (long s = 101; s <= 171; s++) { // back to the first conversation: 64 + 4 + 2 + 1
            first.add(row("c", s, ContentTypeId.TEXT, "sender-" + (s % 5), s == 150 ? "one fallback" : null));
        }
        first.forEach(r -> expected.get(r.conversationId()).putIfAbsent(r.sequence(), r));

        try (Database db = new Database(DatabaseFile.open(dir.resolve("rows.db"), Schema.LATEST))) {
            Names names = new Names();
            write(db, names, first);
            // a second commit repeating stored rows with other values, and one new row: only the new one lands
            write(db, names, List.of(row("c", 1, ContentTypeId.TEXT, "sender-y", "changed"),
                    row("d", 8, ContentTypeId.TEXT, "sender-new", null)));
            expected.get("d").put(8L, row("d", 8, ContentTypeId.TEXT, "sender-new", null));

            for (String conversation : List.of("c", "d")) {
                List<DecodedMessage> stored = db.read("read", sql -> Rows.messages(sql, conversation,
                        new MessageContent(new Codecs(List.of()))));
                assertThat(stored).as(conversation).containsExactlyElementsOf(
                        expected.get(conversation).values().stream().map(MessageRowsTest::decoded).toList());
            }
        }
    }

    @Test
    void runsOfOneSenderOrConsecutiveSequencesOrLeftOutIdsComeBackAsTheyCame() {
        List<MessageRow> rows = new ArrayList<>();
        for (long s = 1; s <= 70; s++) { // one sender, consecutive, ids left out: 64 + 4 + 2 rows
            rows.add(leftOutId(row("c", s, ContentTypeId.TEXT, "sender-a", null)));
        }
        for (long s = 80; s <= 200; s += 3) { // gaps, one sender, ids kept: 32 + 8 + 1 rows
            rows.add(row("c", s, ContentTypeId.TEXT, "sender-a", null));
        }
        for (long s = 201; s <= 240; s++) { // consecutive, senders alternate, ids left out, fallbacks
            rows.add(leftOutId(row("c", s, ContentTypeId.TEXT, "sender-" + (s % 2), "fallback " + s)));
        }
        rows.add(leftOutId(row("c", 300, ContentTypeId.TEXT, "sender-a", null))); // after a gap: a run of its own
        rows.add(leftOutId(row("c", 302, ContentTypeId.TEXT, "sender-a", null)));
        try (Database db = new Database(DatabaseFile.open(dir.resolve("rows.db"), Schema.LATEST))) {
            write(db, new Names(), rows);
            List<DecodedMessage> stored = db.read("read", sql -> Rows.messages(sql, "c",
                    new MessageContent(new Codecs(List.of()))));
            assertThat(stored).containsExactlyElementsOf(rows.stream().map(MessageRowsTest::decoded).toList());
        }
    }

    @Test
    void runsAreOneRowEachAndWhatRowsOrRunsHoldAlreadyKeepsItsFirstVersion() throws Exception {
        Map<Long, MessageRow> expected = new TreeMap<>();
        List<MessageRow> first = new ArrayList<>();
        for (long s = 10; s <= 80; s++) { // received, one sender: runs 10..73 and 74..80
            first.add(leftOutId(row("c", s, ContentTypeId.TEXT, "sender-a", null)));
        }
        first.add(leftOutId(row("c", 5, ContentTypeId.TEXT, "sender-a", null))); // alone before them
        first.add(leftOutId(withContent(row("c", 40, ContentTypeId.TEXT, "sender-a", null), "again"))); // in a run
        first.forEach(r -> expected.putIfAbsent(r.sequence(), r));
        List<MessageRow> second = new ArrayList<>();
        for (long s = 3; s <= 12; s++) { // reaches over the single row 5 and into the run 10..73
            second.add(leftOutId(withContent(row("c", s, ContentTypeId.TEXT, "sender-a", null), "second " + s)));
        }
        second.add(leftOutId(withContent(row("c", 78, ContentTypeId.TEXT, "sender-a", null), "inside 74..80")));
        second.add(row("c", 80, ContentTypeId.TEXT, "sender-b", "with an id, the run's last sequence"));
        for (long s = 81; s <= 84; s++) { // a run with no content, and time going back
            MessageRow r = leftOutId(row("c", s, ContentTypeId.TEXT, "sender-a", null));
            second.add(new MessageRow("c", 0, s, null, r.senderInboxId(), 2_000 - s, r.contentType(), null, null));
        }
        second.forEach(r -> expected.putIfAbsent(r.sequence(), r));

        Path file = dir.resolve("runs.db");
        try (Database db = new Database(DatabaseFile.open(file, Schema.LATEST))) {
            Names names = new Names();
            write(db, names, first);
            write(db, names, second);
            List<DecodedMessage> stored = db.read("read", sql -> Rows.messages(sql, "c",
                    new MessageContent(new Codecs(List.of()))));
            assertThat(stored).containsExactlyElementsOf(
                    expected.values().stream().map(MessageRowsTest::decoded).toList());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT sequence, run_last FROM messages ORDER BY sequence")) {
            List<String> stored = new ArrayList<>();
            while (rows.next()) {
                stored.add(rows.getLong(1) + ".." + rows.getString(2));
            }
            assertThat(stored).as("runs and the rows left of the second commit").containsExactly(
                    "3..4", "5..null", "6..9", "10..73", "74..80", "81..84");
        }
    }

    private static MessageRow withContent(MessageRow row, String text) {
        return new MessageRow(row.conversationId(), row.generation(), row.sequence(), row.id(), row.senderInboxId(),
                row.sentAtNs(), row.contentType(), text.getBytes(StandardCharsets.UTF_8), row.fallback());
    }

    /** The row of a received message: its id is the one its conversation and sequence give, left out. */
    private static MessageRow leftOutId(MessageRow row) {
        return new MessageRow(row.conversationId(), row.generation(), row.sequence(), null, row.senderInboxId(),
                row.sentAtNs(), row.contentType(), row.content(), row.fallback());
    }

    private static void write(Database db, Names names, List<MessageRow> rows) {
        MessageRows commit = new MessageRows();
        rows.forEach(commit::add);
        db.transaction("write", sql -> {
            commit.writeTo(sql, names);
            return null;
        });
    }

    private static MessageRow row(String conversation, long sequence, ContentTypeId type, String sender, String fallback) {
        return new MessageRow(conversation, 0, sequence, conversation + "#" + sequence + "/" + sender, sender,
                1_000 + sequence, type.toString(), (sender + " says " + sequence).getBytes(StandardCharsets.UTF_8),
                fallback);
    }

    /** As read back: text decoded by the built-in codec, another type's content (or none) unknown (no codec). */
    private static DecodedMessage decoded(MessageRow row) {
        ContentTypeId type = ContentTypeId.parse(row.contentType());
        Object content = type.equals(ContentTypeId.TEXT) && row.content() != null
                ? new String(row.content(), StandardCharsets.UTF_8) : null;
        String id = row.id() != null ? row.id()
                : EnvelopeProcessor.messageId(Topics.conversation(row.conversationId()), row.sequence());
        return new DecodedMessage(id, row.conversationId(), row.senderInboxId(), row.sentAtNs(), type, content,
                row.fallback());
    }
}
