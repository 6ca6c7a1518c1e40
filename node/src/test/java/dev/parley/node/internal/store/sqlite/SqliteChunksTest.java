package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.TestClock;
import dev.parley.node.store.Appended;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's layout of schema v5 and v6: entries as chunks, idempotency keys in memory on the writer. */
@Timeout(60)
class SqliteChunksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    private final TestClock wallClock = new TestClock();
    private final List<SqliteNodeStore> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(SqliteNodeStore::close);
    }

    private SqliteNodeStore open(int keyIndexes) {
        SqliteNodeStore store = SqliteNodeStore.open(dir, new NodeClock(wallClock), keyIndexes);
        opened.add(store);
        return store;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Envelope e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }

    private static Appended append(SqliteNodeStore store, String topic, String payload, String key, String sender) {
        return store.append(topic, bytes(payload), key, sender).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Appends {@code payloads} to {@code topic} in one write, so one transaction (and one chunk), keys "k-" + payload. */
    private static List<Appended> appendInOneTransaction(SqliteNodeStore store, String topic, String sender,
                                                         List<String> payloads) {
        return store.writer().submit(new PendingWrite<List<Appended>>() {
            @Override
            List<Appended> apply(WriteBatch batch) throws SQLException {
                List<Appended> appended = new ArrayList<>();
                for (String p : payloads) {
                    appended.add(batch.append(topic, bytes(p), "k-" + p, sender));
                }
                return appended;
            }
        }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            payloads.add(prefix + i);
        }
        return payloads;
    }

    private Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"));
    }

    private long chunkRows(String where) throws SQLException {
        try (Connection raw = raw(); ResultSet rs = raw.createStatement().executeQuery("SELECT count(*) FROM chunks " + where)) {
            return rs.getLong(1);
        }
    }

    @Test
    void entriesOfOneTransactionAreOneChunkAndReadsTakeExactlyTheRangeAskedFor() throws Exception {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        appendInOneTransaction(store, "t", "alice", numbered("m", 10));

        assertThat(chunkRows("")).isEqualTo(1);
        assertThat(store.read("t", 3, 4)).extracting(Envelope::sequence).containsExactly(4L, 5L, 6L, 7L);
        assertThat(store.read("t", 3, 4)).extracting(SqliteChunksTest::text).containsExactly("m4", "m5", "m6", "m7");
        assertThat(store.read("t", 9, 5)).extracting(Envelope::sequence).containsExactly(10L);
        assertThat(store.read("t", 10, 5)).isEmpty();
        assertThat(store.read("t", 0, 0)).isEmpty();
        Envelope fifth = store.read("t", 4, 1).get(0);
        assertThat(fifth.idempotencyKey()).isEqualTo("k-m5");
        assertThat(fifth.senderInboxId()).isEqualTo("alice");
        assertThat(fifth.topic()).isEqualTo("t");

        appendInOneTransaction(store, "t", "alice", numbered("n", 3)); // a second chunk: reads go across both
        assertThat(chunkRows("")).isEqualTo(2);
        assertThat(store.read("t", 8, 4)).extracting(SqliteChunksTest::text).containsExactly("m9", "m10", "n1", "n2");
        assertThat(store.firstRetained("t")).isEqualTo(1);
        assertThat(store.lastSequence("t")).isEqualTo(13);
    }

    @Test
    void aKeyRetriedInTheSameTransactionGetsTheEntryOfThatTransaction() {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        List<Appended> appended = appendInOneTransaction(store, "t", "alice", List.of("a", "b", "a"));

        assertThat(appended).extracting(Appended::isNew).containsExactly(true, true, false);
        assertThat(appended.get(2).envelope().sequence()).isEqualTo(1);
        assertThat(text(appended.get(2).envelope())).isEqualTo("a");
        assertThat(store.read("t", 0, 10)).extracting(SqliteChunksTest::text).containsExactly("a", "b");
        assertThat(store.storedBytes("alice")).isEqualTo(2);
    }

    @Test
    void aRetriedKeyGetsItsOriginalEntryAfterItsTopicsIndexWasDroppedAndAcrossReopen() {
        SqliteNodeStore store = open(1); // one topic's keys in memory: each commit drops the other's
        appendInOneTransaction(store, "t", "alice", numbered("m", 5));
        append(store, "u", "other", "k-u", "bob");
        append(store, "t", "m6", "k-m6", "alice"); // t's index built again from the stored key hashes
        append(store, "u", "other 2", "k-u2", "bob");

        Appended retried = append(store, "t", "different payload", "k-m3", "alice");
        assertThat(retried.isNew()).isFalse();
        assertThat(retried.envelope().sequence()).isEqualTo(3);
        assertThat(text(retried.envelope())).isEqualTo("m3");
        assertThat(append(store, "t", "new", "k-new", "alice").envelope().sequence()).isEqualTo(7);
        store.close();

        SqliteNodeStore reopened = open(1);
        for (int i = 1; i <= 6; i++) {
            Appended again = append(reopened, "t", "x", "k-m" + i, "alice");
            assertThat(again.isNew()).isFalse();
            assertThat(again.envelope().sequence()).isEqualTo(i);
            assertThat(text(again.envelope())).isEqualTo("m" + i);
        }
        assertThat(append(reopened, "u", "x", "k-u", "bob").envelope().sequence()).isEqualTo(1);
        assertThat(append(reopened, "t", "after", "k-after", "alice").envelope().sequence()).isEqualTo(8);
        assertThat(reopened.storedBytes("alice")).isEqualTo(2 * 6 + 3 + 5);
    }

    @Test
    void atMostTheBoundOfTopicsKeepTheirKeysInMemoryAfterACommit() {
        SqliteNodeStore store = open(2);
        for (int i = 1; i <= 5; i++) {
            append(store, "t" + i, "m", "k", "alice");
        }
        int resident = store.writer().submit(new PendingWrite<Integer>() {
            @Override
            Integer apply(WriteBatch batch) {
                return batch.residentKeyIndexes();
            }
        }).orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(resident).isEqualTo(2);
        for (int i = 1; i <= 5; i++) {
            assertThat(append(store, "t" + i, "again", "k", "alice").isNew()).isFalse();
        }
    }

    private static long[] residentKeyIndexes(SqliteNodeStore store) {
        return store.writer().submit(new PendingWrite<long[]>() {
            @Override
            long[] apply(WriteBatch batch) {
                return new long[]{batch.residentKeyIndexes(), batch.residentKeyIndexEntries()};
            }
        }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void theKeyIndexesHoldAtMostTheBoundOfEntriesAfterACommitButAlwaysTheLastUsedTopics() {
        SqliteNodeStore store = SqliteNodeStore.open(dir, new NodeClock(wallClock), SqliteNodeStore.KEY_INDEXES, 10);
        opened.add(store);
        appendInOneTransaction(store, "a", "alice", numbered("a", 6));
        appendInOneTransaction(store, "b", "alice", numbered("b", 3));
        assertThat(residentKeyIndexes(store)).containsExactly(2, 9);

        appendInOneTransaction(store, "c", "alice", numbered("c", 4)); // 13 > 10: a, the least recently used, goes

        assertThat(residentKeyIndexes(store)).containsExactly(2, 7);
        appendInOneTransaction(store, "d", "alice", numbered("d", 12)); // d alone is over the bound: it stays
        assertThat(residentKeyIndexes(store)).containsExactly(1, 12);
        for (String topic : List.of("a", "b", "c", "d")) { // a dropped index is built again from the file
            Appended again = append(store, topic, "x", "k-" + topic + "2", "alice");
            assertThat(again.isNew()).isFalse();
            assertThat(again.envelope().sequence()).isEqualTo(2);
        }
        assertThat(store.trim(new Retention(Optional.empty(), OptionalLong.of(5)))).isEqualTo(8); // d keeps 8..12
        assertThat(residentKeyIndexes(store)).containsExactly(1, 5);
    }

    @Test
    void aTrimInsideAChunkKeepsItsTailFreesTheTrimmedBytesAndForgetsTheirKeys() throws Exception {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        appendInOneTransaction(store, "t", "alice", numbered("m", 10)); // payloads m1..m9: 2 bytes, m10: 3

        assertThat(store.trim(new Retention(Optional.empty(), OptionalLong.of(3)))).isEqualTo(7);

        assertThat(store.firstRetained("t")).isEqualTo(8);
        assertThat(store.read("t", 0, 10)).extracting(SqliteChunksTest::text).containsExactly("m8", "m9", "m10");
        assertThat(store.read("t", 8, 1)).extracting(Envelope::sequence).containsExactly(9L);
        assertThat(store.storedBytes("alice")).isEqualTo(2 + 2 + 3);
        assertThat(chunkRows("WHERE first_seq = 8 AND last_seq = 10")).isEqualTo(1);
        assertThat(append(store, "t", "again", "k-m2", "alice").isNew()).isTrue(); // trimmed with its entry
        Appended kept = append(store, "t", "again", "k-m9", "alice");
        assertThat(kept.isNew()).isFalse();
        assertThat(kept.envelope().sequence()).isEqualTo(9);
        store.close();

        SqliteNodeStore reopened = open(SqliteNodeStore.KEY_INDEXES);
        assertThat(reopened.firstRetained("t")).isEqualTo(8);
        assertThat(reopened.storedBytes("alice")).isEqualTo(2 + 2 + 3 + 5);
        assertThat(append(reopened, "t", "x", "k-m8", "alice").envelope().sequence()).isEqualTo(8);
        assertThat(append(reopened, "t", "x", "k-m1", "alice").envelope().sequence()).isEqualTo(12);
    }

    @Test
    void aDamagedChunkIsAStoreErrorForItsTopicOnly() throws Exception {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        appendInOneTransaction(store, "t", "alice", numbered("m", 4));
        append(store, "u", "fine", "k-u", "bob");
        store.close();
        try (Connection raw = raw();
             PreparedStatement damage = raw.prepareStatement("UPDATE chunks SET body = ? WHERE first_seq = 1 AND last_seq = 4");
             ResultSet rs = raw.createStatement().executeQuery("SELECT body FROM chunks WHERE last_seq = 4")) {
            byte[] body = rs.getBytes(1);
            body[body.length / 2] ^= 0x5a;
            damage.setBytes(1, body);
            assertThat(damage.executeUpdate()).isEqualTo(1);
        }

        SqliteNodeStore reopened = open(SqliteNodeStore.KEY_INDEXES);

        assertThatThrownBy(() -> reopened.read("t", 0, 10)).isInstanceOf(StoreException.class).hasMessageContaining("damaged chunk");
        assertThat(reopened.append("t", bytes("x"), "k-m2", "alice")).failsWithin(WAIT)
                .withThrowableThat().havingCause().isInstanceOf(StoreException.class).withMessageContaining("damaged chunk");
        assertThat(append(reopened, "t", "new", "k-new", "alice").envelope().sequence()).isEqualTo(5); // still dense
        assertThat(reopened.read("u", 0, 10)).extracting(SqliteChunksTest::text).containsExactly("fine");
        assertThat(append(reopened, "u", "more", "k-u2", "bob").envelope().sequence()).isEqualTo(2);
    }

    @Test
    void aDamagedKeyHashColumnIsAStoreErrorForItsTopicOnly() throws Exception {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        appendInOneTransaction(store, "t", "alice", numbered("m", 4));
        store.close();
        try (Connection raw = raw()) {
            raw.createStatement().execute("UPDATE chunks SET key_hashes = x'0102'");
        }

        SqliteNodeStore reopened = open(SqliteNodeStore.KEY_INDEXES);

        assertThat(reopened.append("t", bytes("x"), "k-new", "alice")).failsWithin(WAIT)
                .withThrowableThat().havingCause().isInstanceOf(StoreException.class).withMessageContaining("damaged chunk");
        assertThat(append(reopened, "u", "fine", "k-u", "bob").envelope().sequence()).isEqualTo(1);
    }

    @Test
    void aVersion4DatabaseKeepsEveryEntryKeyAndByteTotalAsChunks() throws Exception {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        for (int i = 1; i <= 6; i++) {
            append(store, "t", "t" + i, "kt" + i, i % 2 == 0 ? "alice" : "bob");
            wallClock.advance(Duration.ofSeconds(1));
        }
        appendInOneTransaction(store, "u", "carol", numbered("u", 5));
        store.trim(new Retention(Optional.empty(), OptionalLong.of(4))); // t keeps 3..6, u keeps 2..5
        List<Envelope> tBefore = store.read("t", 0, 100);
        List<Envelope> uBefore = store.read("u", 0, 100);
        long alice = store.storedBytes("alice");
        long bob = store.storedBytes("bob");
        long carol = store.storedBytes("carol");
        store.close();
        try (Connection raw = raw()) {
            Version4Files.undoVersion5(raw);
            raw.createStatement().execute("DELETE FROM messages WHERE topic = (SELECT id FROM topics WHERE name = 'u') AND seq = 4");
            raw.createStatement().execute("UPDATE sender_bytes SET bytes = bytes - 2 WHERE sender = 'carol'");
        }
        uBefore = uBefore.stream().filter(e -> e.sequence() != 4).toList(); // a hole an old trim by age could leave

        SqliteNodeStore migrated = open(SqliteNodeStore.KEY_INDEXES);

        assertThat(migrated.read("t", 0, 100)).usingRecursiveFieldByFieldElementComparator().isEqualTo(tBefore);
        assertThat(migrated.read("u", 0, 100)).usingRecursiveFieldByFieldElementComparator().isEqualTo(uBefore);
        assertThat(migrated.read("u", 3, 1)).extracting(Envelope::sequence).containsExactly(5L);
        assertThat(migrated.firstRetained("t")).isEqualTo(3);
        assertThat(migrated.storedBytes("alice")).isEqualTo(alice);
        assertThat(migrated.storedBytes("bob")).isEqualTo(bob);
        assertThat(migrated.storedBytes("carol")).isEqualTo(carol - 2);
        for (Envelope e : tBefore) {
            Appended again = append(migrated, "t", "x", e.idempotencyKey(), "alice");
            assertThat(again.isNew()).isFalse();
            assertThat(again.envelope().sequence()).isEqualTo(e.sequence());
            assertThat(again.envelope().payload()).isEqualTo(e.payload());
        }
        assertThat(append(migrated, "u", "x", "k-u3", "carol").envelope().sequence()).isEqualTo(3);
        assertThat(append(migrated, "t", "next", "kt-next", "alice").envelope().sequence()).isEqualTo(7);
        try (Connection raw = raw();
             ResultSet rs = raw.createStatement().executeQuery("SELECT (SELECT count(*) FROM sqlite_schema WHERE name"
                     + " IN ('messages', 'messages_by_key')), (SELECT value FROM meta WHERE key = 'schema_version')")) {
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getString(2)).isEqualTo(Integer.toString(SqliteSchema.VERSION));
        }
    }

    @Test
    void aVersion5DatabaseKeepsEveryChunkInARowidTable() throws Exception {
        SqliteNodeStore store = open(SqliteNodeStore.KEY_INDEXES);
        appendInOneTransaction(store, "t", "alice", numbered("t", 3));
        appendInOneTransaction(store, "u", "bob", numbered("u", 2));
        appendInOneTransaction(store, "t", "alice", numbered("s", 2));
        store.trim(new Retention(Optional.empty(), OptionalLong.of(4))); // t keeps 2..5: its first chunk rewritten
        List<Envelope> tBefore = store.read("t", 0, 100);
        List<Envelope> uBefore = store.read("u", 0, 100);
        long alice = store.storedBytes("alice");
        store.close();
        try (Connection raw = raw()) {
            Version5Files.undoVersion6(raw);
        }

        SqliteNodeStore migrated = open(SqliteNodeStore.KEY_INDEXES);

        assertThat(migrated.read("t", 0, 100)).usingRecursiveFieldByFieldElementComparator().isEqualTo(tBefore);
        assertThat(migrated.read("u", 0, 100)).usingRecursiveFieldByFieldElementComparator().isEqualTo(uBefore);
        assertThat(migrated.read("t", 3, 1)).extracting(Envelope::sequence).containsExactly(4L);
        assertThat(migrated.firstRetained("t")).isEqualTo(2);
        assertThat(migrated.storedBytes("alice")).isEqualTo(alice);
        for (Envelope e : tBefore) {
            Appended again = append(migrated, "t", "x", e.idempotencyKey(), "alice");
            assertThat(again.isNew()).isFalse();
            assertThat(again.envelope().sequence()).isEqualTo(e.sequence());
        }
        assertThat(append(migrated, "t", "next", "kt-next", "alice").envelope().sequence()).isEqualTo(6);
        try (Connection raw = raw();
             ResultSet rs = raw.createStatement().executeQuery("SELECT (SELECT sql FROM sqlite_schema WHERE name = 'chunks'),"
                     + " (SELECT count(*) FROM sqlite_schema WHERE name = 'chunks_v5'),"
                     + " (SELECT value FROM meta WHERE key = 'schema_version')")) {
            assertThat(rs.getString(1)).doesNotContainIgnoringCase("WITHOUT ROWID");
            assertThat(rs.getInt(2)).isZero();
            assertThat(rs.getString(3)).isEqualTo(Integer.toString(SqliteSchema.VERSION));
        }
    }
}
