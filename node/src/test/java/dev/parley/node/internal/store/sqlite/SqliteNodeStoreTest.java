package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.NodeStoreContract;
import dev.parley.node.internal.store.TestClock;
import dev.parley.ConversationType;
import dev.parley.PermissionDeniedException;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.MemberSpan;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteNodeStoreTest extends NodeStoreContract {
    private final AtomicInteger dirs = new AtomicInteger();
    @TempDir
    Path temp;
    private Path dir;

    @Override
    protected NodeStore openFresh(NodeClock clock) {
        dir = temp.resolve("node-" + dirs.incrementAndGet());
        return SqliteNodeStore.open(dir, clock);
    }

    private NodeStore reopen() {
        store.close();
        return track(SqliteNodeStore.open(dir, new NodeClock()));
    }

    @Test
    void storedBytesPerSenderAreCountedAgainAfterReopen() {
        store.append("t", new byte[100], "a1", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        store.append("t", new byte[40], "a2", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        store.append("u", new byte[7], "b1", "bob").orTimeout(10, TimeUnit.SECONDS).join();
        store.trim(new Retention(Optional.empty(), OptionalLong.of(1)));

        NodeStore reopened = reopen();

        assertThat(reopened.storedBytes("alice")).isEqualTo(40);
        assertThat(reopened.storedBytes("bob")).isEqualTo(7);
        reopened.append("u", new byte[3], "b2", "bob").orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(reopened.storedBytes("bob")).isEqualTo(10);
    }

    @Test
    void aVersion1DatabaseGetsItsBytesPerSenderCountedOnceByTheMigration() throws Exception {
        store.append("t", new byte[100], "a1", "alice").orTimeout(10, TimeUnit.SECONDS).join();
        store.append("u", new byte[7], "b1", "bob").orTimeout(10, TimeUnit.SECONDS).join();
        store.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"))) {
            undoVersion3(raw);
            raw.createStatement().execute("DROP TABLE sender_bytes"); // as a node of schema version 1 left it
            raw.createStatement().execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
        }

        NodeStore migrated = track(SqliteNodeStore.open(dir, new NodeClock()));

        assertThat(migrated.storedBytes("alice")).isEqualTo(100);
        assertThat(migrated.storedBytes("bob")).isEqualTo(7);
    }

    /** Takes a database of schema version 4 back to what a node of version 3 left (with an index by timestamp). */
    private static void undoVersion4(Connection raw) throws Exception {
        Version4Files.undoVersion5(raw);
        raw.createStatement().execute("CREATE INDEX messages_by_time ON messages (ts)");
        raw.createStatement().execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    }

    /** Takes a database of schema version 3 back to what a node of version 2 left (members without spans or admins). */
    private static void undoVersion3(Connection raw) throws Exception {
        undoVersion4(raw);
        for (String sql : List.of(
                "CREATE TABLE members (conversation_id TEXT NOT NULL, inbox_id TEXT NOT NULL,"
                        + " PRIMARY KEY (conversation_id, inbox_id)) WITHOUT ROWID",
                "INSERT INTO members SELECT conversation_id, inbox_id FROM member_spans WHERE to_seq IS NULL",
                "DROP TABLE member_spans",
                "DROP TABLE admins",
                "ALTER TABLE conversations DROP COLUMN changed_seq",
                "UPDATE meta SET value = '2' WHERE key = 'schema_version'")) {
            raw.createStatement().execute(sql);
        }
    }

    @Test
    void aVersion2DatabaseGetsMembersFromSequenceOneAndTheCreatorAsAdmin() throws Exception {
        ConversationEntry group = new ConversationEntry("c1", ConversationType.GROUP, Set.of("a", "b"), "a", 42, "g");
        store.putConversation(group).orTimeout(10, TimeUnit.SECONDS).join();
        store.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"))) {
            undoVersion3(raw);
        }

        NodeStore migrated = track(SqliteNodeStore.open(dir, new NodeClock()));

        ConversationEntry read = migrated.conversation("c1").orElseThrow();
        assertThat(read).isEqualTo(group);
        assertThat(read.spans().get("b")).containsExactly(MemberSpan.openFrom(MemberSpan.FROM_CREATION));
        assertThat(read.visibleAfter("b", 0)).contains(MemberSpan.openFrom(1));
        assertThat(read.admins()).containsExactly("a");
        assertThat(append(migrated, "conv/c1", "hello", "k").envelope().sequence()).isEqualTo(1);
        assertThat(migrated.appendToConversation("c1", bytes("m"), "k2", "b"))
                .succeedsWithin(WAIT).extracting(a -> a.envelope().sequence()).isEqualTo(2L);
    }

    @Test
    void aVersion3DatabaseLosesItsIndexByTimeAndStillTrimsByAge() throws Exception {
        append("t", "old");
        wallClock.advance(Duration.ofHours(2));
        append("t", "new");
        store.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"))) {
            undoVersion4(raw);
        }

        NodeStore migrated = track(SqliteNodeStore.open(dir, new NodeClock(wallClock)));

        assertThat(migrated.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(migrated.trim(new Retention(Optional.of(Duration.ofHours(1)), OptionalLong.empty()))).isEqualTo(1);
        assertThat(migrated.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(2L);
        migrated.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"));
             ResultSet rs = raw.createStatement().executeQuery(
                     "SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'messages_by_time'),"
                             + " (SELECT value FROM meta WHERE key = 'schema_version')")) {
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getString(2)).isEqualTo(Integer.toString(SqliteSchema.VERSION));
        }
    }

    @Test
    void aClockThatWentBackAcrossAReopenNeverLeavesAHoleInATopic() {
        wallClock.advance(Duration.ofHours(2));
        append("t", "stamped late");
        store.close();
        TestClock setBack = new TestClock(); // two hours behind the clock the first entry was stamped by
        NodeStore reopened = track(SqliteNodeStore.open(dir, new NodeClock(setBack)));
        append(reopened, "t", "stamped early", "k2");
        setBack.advance(Duration.ofMinutes(90));

        // the second entry is stamped before the cut, the first after it: the topic keeps both, in order
        assertThat(reopened.trim(new Retention(Optional.of(Duration.ofHours(1)), OptionalLong.empty()))).isZero();

        assertThat(reopened.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(reopened.firstRetained("t")).isEqualTo(1);
    }

    @Test
    void membershipSpansAndAdminsSurviveReopen() {
        putGroup("c1", "alice", "bob");
        append(store, "conv/c1", "m1", "k1");
        done(store.changeConversation("c1", removing("bob"), "r1", "alice"));
        done(store.changeConversation("c1", new Adding("carol"), "a1", "alice"));
        ConversationEntry before = store.conversation("c1").orElseThrow();

        NodeStore reopened = reopen();

        ConversationEntry after = reopened.conversation("c1").orElseThrow();
        assertThat(after).isEqualTo(before);
        assertThat(after.spans().get("bob")).containsExactly(new MemberSpan(MemberSpan.FROM_CREATION, 2));
        assertThat(after.spans().get("carol")).containsExactly(MemberSpan.openFrom(3));
        assertThat(after.changedAtSequence()).isEqualTo(3);
        assertThat(reopened.appendToConversation("c1", bytes("late"), "k9", "bob"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class);
        assertThat(done(reopened.changeConversation("c1", new Adding("carol"), "a1", "alice")))
                .hasValueSatisfying(a -> assertThat(a.isNew()).isFalse());
    }

    @Test
    void aChangeInABatchThatFailsIsSettledNotWrittenBeforeTheNextBatchAndLeavesNothing() throws Exception {
        putGroup("c1", "alice");
        SqliteNodeStore sqlite = (SqliteNodeStore) store;
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> blocker = sqlite.writer().submit(new PendingWrite<>() {
            @Override
            Void apply(WriteBatch batch) {
                writerHeld.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
        });
        assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();
        Adding addBob = new Adding("bob");
        CompletableFuture<Optional<Appended>> change = store.changeConversation("c1", addBob, "add-bob", "alice");
        List<List<Boolean>> settledInBatch = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> failing = sqlite.writer().submit(new PendingWrite<>() {
            @Override
            Void apply(WriteBatch batch) throws SQLException {
                settledInBatch.add(List.copyOf(addBob.settled));
                throw new SQLException("injected failure of the batch");
            }
        });
        release.countDown();

        assertThat(blocker).succeedsWithin(WAIT);
        assertThat(failing).failsWithin(WAIT);
        assertThat(change).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(StoreException.class);
        assertThat(addBob.applied).hasValue(1);
        assertThat(settledInBatch).containsExactly(List.of()); // applied in the same batch, not settled yet
        assertThat(addBob.settled).containsExactly(false);
        assertThat(store.conversation("c1").orElseThrow().isMember("bob")).isFalse();
        assertThat(store.read("welcome/bob", 0, 10)).isEmpty();
        assertThat(store.appendToConversation("c1", bytes("x"), "kx", "bob"))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(PermissionDeniedException.class);
        assertThat(done(store.appendToConversation("c1", bytes("m"), "k1", "alice")).envelope().sequence()).isEqualTo(1);
    }

    @Test
    void keepsEntriesEpochAndKeysAcrossReopen() {
        Path first = dir;
        Appended original = append(store, "t", "original", "k");
        append("t", "second");
        String epoch = store.epoch();

        NodeStore reopened = reopen();

        assertThat(first).isEqualTo(dir);
        assertThat(reopened.epoch()).isEqualTo(epoch);
        assertThat(reopened.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(reopened.lastSequence("t")).isEqualTo(2);
        Appended resent = append(reopened, "t", "resent", "k");
        assertThat(resent.isNew()).isFalse();
        assertThat(resent.envelope().sequence()).isEqualTo(original.envelope().sequence());
        assertThat(resent.envelope().payload()).isEqualTo(bytes("original"));
        assertThat(append(reopened, "t", "third", "k3").envelope().sequence()).isEqualTo(3);
    }

    @Test
    void aCommittedBatchIsNeitherAcknowledgedNorReadBeforeTheLogIsSynced() throws Exception {
        SyncerHold hold = holdSyncerAfterOneEntry();
        CompletableFuture<Appended> pending = store.append("t", bytes("pending"), "k-pending", "sender");
        CompletableFuture<Appended> first = store.append("u", bytes("new topic"), "k-u", "sender");
        try {
            assertThat(hold.held().await(10, TimeUnit.SECONDS)).isTrue(); // committed; the syncer waits before its fsync
            // in the file, visible to readers ("first" too if it came in the same drain, else it waits for the sync)
            assertThat(committedEntries(2)).isGreaterThanOrEqualTo(2);
            assertThat(pending).isNotDone();
            assertThat(first).isNotDone();
            assertThat(store.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L);
            assertThat(store.lastSequence("t")).isEqualTo(1);
            assertThat(store.read("u", 0, 10)).isEmpty();
            assertThat(store.lastSequence("u")).isZero();
        } finally {
            hold.letGo();
        }
        assertThat(pending.get(10, TimeUnit.SECONDS).envelope().sequence()).isEqualTo(2);
        assertThat(first.get(10, TimeUnit.SECONDS).envelope().sequence()).isEqualTo(1);
        assertThat(store.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(store.lastSequence("u")).isEqualTo(1);
    }

    @Test
    void writesThatComeWhileTheLogIsSyncedWaitInOneTransactionForTheNextCommit() throws Exception {
        SyncerHold hold = holdSyncerAfterOneEntry();
        List<CompletableFuture<Appended>> appends = new CopyOnWriteArrayList<>();
        try {
            appends.add(store.append("t", bytes("committed first"), "k1", "sender"));
            assertThat(hold.held().await(10, TimeUnit.SECONDS)).isTrue(); // its commit is being synced
            for (String topic : List.of("u", "v")) { // two drains: each waits until the writer applied it
                appends.add(store.append(topic, bytes("meanwhile"), "k-" + topic, "sender"));
                CountDownLatch applied = new CountDownLatch(1);
                hold.store().writer().submit(new PendingWrite<Void>() {
                    @Override
                    Void apply(WriteBatch batch) {
                        applied.countDown();
                        return null;
                    }
                });
                assertThat(applied.await(10, TimeUnit.SECONDS)).isTrue();
            }

            assertThat(committedEntries(2)).isEqualTo(2); // "durable" and "committed first" only: no commit meanwhile
            assertThat(appends).noneMatch(CompletableFuture::isDone);
        } finally {
            hold.letGo();
        }
        assertThat(CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(committedEntries(4)).isEqualTo(4);
        assertThat(store.read("u", 0, 10)).extracting(Envelope::sequence).containsExactly(1L);
        assertThat(store.read("v", 0, 10)).extracting(Envelope::sequence).containsExactly(1L);
    }

    /** The store, with the syncer counting {@code held} down before each fsync and then waiting (≤ 10 s) for {@code release}. */
    private record SyncerHold(SqliteNodeStore store, CountDownLatch held, CountDownLatch release) {
        /** Lets the syncer go on, and holds it no more. */
        void letGo() {
            store.wal().beforeSync = () -> { };
            release.countDown();
        }
    }

    /** Appends a first, durable entry to "t", then holds the syncer before its next fsyncs. */
    private SyncerHold holdSyncerAfterOneEntry() {
        append("t", "durable");
        SyncerHold hold = new SyncerHold((SqliteNodeStore) store, new CountDownLatch(1), new CountDownLatch(1));
        hold.store().wal().beforeSync = () -> {
            hold.held().countDown();
            try {
                hold.release().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return hold;
    }

    /** Entries in the file as a reader sees them, once there are {@code expected} (or after 10 s). */
    private long committedEntries(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"))) {
            while (true) {
                try (ResultSet rs = raw.createStatement().executeQuery(
                        "SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM chunks")) {
                    long count = rs.getLong(1);
                    if (count >= expected || System.nanoTime() > deadline) {
                        return count;
                    }
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void appendsAfterCloseFailWithAStoreException() {
        store.close();
        assertThat(store.append("t", bytes("late"), "k", "s"))
                .failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(dev.parley.node.store.StoreException.class).withMessageContaining("closed");
    }
}
