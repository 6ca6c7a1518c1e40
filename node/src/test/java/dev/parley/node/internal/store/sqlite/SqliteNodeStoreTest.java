package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.NodeStoreContract;
import dev.parley.node.store.Appended;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
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
            raw.createStatement().execute("DROP TABLE sender_bytes"); // as a node of schema version 1 left it
            raw.createStatement().execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
        }

        NodeStore migrated = track(SqliteNodeStore.open(dir, new NodeClock()));

        assertThat(migrated.storedBytes("alice")).isEqualTo(100);
        assertThat(migrated.storedBytes("bob")).isEqualTo(7);
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
        append("t", "durable");
        SqliteNodeStore sqlite = (SqliteNodeStore) store;
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sqlite.wal().beforeSync = () -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<Appended> pending = store.append("t", bytes("pending"), "k-pending", "sender");
        CompletableFuture<Appended> first = store.append("u", bytes("new topic"), "k-u", "sender");
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue(); // committed; the syncer waits before its fsync
            assertThat(committedEntries(3)).isEqualTo(3); // in the file, visible to readers
            assertThat(pending).isNotDone();
            assertThat(first).isNotDone();
            assertThat(store.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L);
            assertThat(store.lastSequence("t")).isEqualTo(1);
            assertThat(store.read("u", 0, 10)).isEmpty();
            assertThat(store.lastSequence("u")).isZero();
        } finally {
            sqlite.wal().beforeSync = () -> { };
            release.countDown();
        }
        assertThat(pending.get(10, TimeUnit.SECONDS).envelope().sequence()).isEqualTo(2);
        assertThat(first.get(10, TimeUnit.SECONDS).envelope().sequence()).isEqualTo(1);
        assertThat(store.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(1L, 2L);
        assertThat(store.lastSequence("u")).isEqualTo(1);
    }

    /** Entries in the file as a reader sees them, once there are {@code expected} (or after 10 s). */
    private long committedEntries(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("parley-node.db"))) {
            while (true) {
                try (ResultSet rs = raw.createStatement().executeQuery("SELECT count(*) FROM messages")) {
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
