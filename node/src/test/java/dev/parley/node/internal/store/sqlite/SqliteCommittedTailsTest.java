package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.TestClock;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The newest committed entries served from memory ({@link CommittedTails}) exactly as the database serves them. */
@Timeout(60)
class SqliteCommittedTailsTest {
    @TempDir
    Path dir;
    /** The store open in {@link #dir}: one at a time. */
    private SqliteNodeStore current;

    @AfterEach
    void closeTheStore() {
        if (current != null) {
            current.close();
        }
    }

    private SqliteNodeStore open(CommittedTails tails) {
        if (current != null) {
            current.close();
        }
        current = SqliteNodeStore.open(dir, new NodeClock(new TestClock()), SqliteNodeStore.KEY_INDEXES,
                SqliteNodeStore.KEY_INDEX_ENTRIES, tails);
        return current;
    }

    /** The store closed and opened again with no room in its tails, so every read is the database's. */
    private SqliteNodeStore reopened() {
        return open(new CommittedTails(SqliteNodeStore.TAIL_ENTRIES, SqliteNodeStore.TAIL_TOPICS, 0));
    }

    /** Every field, the payload's bytes included. */
    private static List<String> fields(List<Envelope> entries) {
        return entries.stream().map(e -> e.topic() + "|" + e.sequence() + "|" + e.timestampNs() + "|"
                + HexFormat.of().formatHex(e.payload()) + "|" + e.idempotencyKey() + "|" + e.senderInboxId()).toList();
    }

    private static void append(SqliteNodeStore store, String topic, int count) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(store.append(topic, (topic + "-" + i).getBytes(StandardCharsets.UTF_8), "key-" + topic + "-" + i,
                    "sender-" + (i % 3)));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static <T> T inTransaction(SqliteNodeStore store, PendingWrite<T> write) {
        return store.writer().submit(write).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void readsFromTheTailsEqualTheDatabasesAndOlderReadsFallBack() {
        CommittedTails tails = new CommittedTails(64, 16, 1 << 20);
        SqliteNodeStore store = open(tails);
        append(store, "a", 100);
        append(store, "b", 10);

        assertThat(tails.read("a", 60, 10, 100)).hasSize(10); // 37..100 are in the tail
        assertThat(tails.read("a", 20, 10, 100)).isNull(); // 21 is not
        List<List<String>> served = List.of(fields(store.read("a", 60, 10)), fields(store.read("a", 90, 100)),
                fields(store.read("a", 20, 30)), fields(store.read("a", 0, 1000)), fields(store.read("b", 0, 5)),
                fields(store.read("b", 9, 5)), fields(store.read("a", 100, 5)));

        SqliteNodeStore again = reopened();
        assertThat(List.of(fields(again.read("a", 60, 10)), fields(again.read("a", 90, 100)),
                fields(again.read("a", 20, 30)), fields(again.read("a", 0, 1000)), fields(again.read("b", 0, 5)),
                fields(again.read("b", 9, 5)), fields(again.read("a", 100, 5))))
                .isEqualTo(served);
        assertThat(served.get(1)).hasSize(10);
        assertThat(served.get(6)).isEmpty();
    }

    @Test
    void aTrimBelowTheTailKeepsItAndATrimIntoItDropsWhatItRemoved() {
        CommittedTails tails = new CommittedTails(64, 16, 1 << 20);
        SqliteNodeStore store = open(tails);
        append(store, "t", 100);

        assertThat(store.trim(Retention.KEEP_ALL.withMaxPerTopic(80))).isEqualTo(20); // 1..20: below the tail
        assertThat(tails.read("t", 36, 5, 100)).extracting(Envelope::sequence).containsExactly(37L, 38L, 39L, 40L, 41L);
        assertThat(store.read("t", 0, 3)).extracting(Envelope::sequence).containsExactly(21L, 22L, 23L);

        assertThat(store.trim(Retention.KEEP_ALL.withMaxPerTopic(10))).isEqualTo(70); // 21..90: into the tail
        assertThat(tails.read("t", 36, 5, 100)).isNull();
        assertThat(tails.read("t", 90, 5, 100)).extracting(Envelope::sequence).containsExactly(91L, 92L, 93L, 94L, 95L);
        List<String> fromStart = fields(store.read("t", 0, 100));
        List<String> fromInside = fields(store.read("t", 50, 100));
        assertThat(fromStart).hasSize(10).isEqualTo(fromInside);

        append(store, "t", 5);
        List<String> after = fields(store.read("t", 90, 100));
        assertThat(after).hasSize(15);
        assertThat(fields(reopened().read("t", 90, 100))).isEqualTo(after);
    }

    @Test
    void entriesATransactionTrimsItselfNeverReachTheTail() {
        CommittedTails tails = new CommittedTails(64, 16, 1 << 20);
        SqliteNodeStore store = open(tails);
        inTransaction(store, new PendingWrite<Void>() {
            @Override
            Void apply(WriteBatch batch) throws SQLException {
                for (int i = 1; i <= 5; i++) {
                    batch.append("t", new byte[] {(byte) i}, "k" + i, "alice");
                }
                batch.trim(Long.MIN_VALUE, 2);
                batch.append("t", new byte[] {6}, "k6", "alice");
                return null;
            }
        });

        assertThat(tails.read("t", 2, 10, 6)).isNull(); // 3 was trimmed off before it was committed
        assertThat(tails.read("t", 3, 10, 6)).extracting(Envelope::sequence).containsExactly(4L, 5L, 6L);
        assertThat(store.read("t", 0, 10)).extracting(Envelope::sequence).containsExactly(4L, 5L, 6L);
    }

    @Test
    void aRolledBackTransactionLeavesNothingInTheTail() {
        CommittedTails tails = new CommittedTails(64, 16, 1 << 20);
        SqliteNodeStore store = open(tails);
        append(store, "t", 3);

        assertThatThrownBy(() -> inTransaction(store, new PendingWrite<Void>() {
            @Override
            Void apply(WriteBatch batch) throws SQLException {
                batch.append("t", new byte[] {9}, "rolled-back", "alice");
                batch.append("u", new byte[] {9}, "rolled-back", "alice");
                throw new SQLException("injected");
            }
        })).hasCauseInstanceOf(StoreException.class);

        assertThat(tails.read("t", 3, 10, Long.MAX_VALUE)).isNull();
        assertThat(tails.read("u", 0, 10, Long.MAX_VALUE)).isNull();
        assertThat(store.read("t", 0, 10)).hasSize(3);
        store.append("t", new byte[] {4}, "committed", "alice").orTimeout(10, TimeUnit.SECONDS).join(); // 4 again
        List<Envelope> fourth = store.read("t", 3, 10);
        assertThat(fourth).extracting(Envelope::idempotencyKey).containsExactly("committed");
        assertThat(tails.read("t", 3, 10, 4)).extracting(Envelope::idempotencyKey).containsExactly("committed");
    }

    @Test
    void theTailsKeepToTheirBoundsDroppingTheLeastRecentlyWrittenFirst() {
        CommittedTails tails = new CommittedTails(8, 3, 20_000);
        SqliteNodeStore store = open(tails);
        for (String topic : List.of("a", "b", "c", "d", "e")) {
            append(store, topic, 20);
        }
        assertThat(tails.topics()).isEqualTo(3);
        assertThat(tails.read("a", 15, 5, 20)).isNull(); // a and b were written least recently
        assertThat(tails.read("e", 15, 5, 20)).hasSize(5);
        assertThat(tails.read("e", 11, 5, 20)).isNull(); // 8 per topic: 13..20
        assertThat(store.read("a", 15, 5)).extracting(Envelope::sequence).containsExactly(16L, 17L, 18L, 19L, 20L);

        inTransaction(store, new PendingWrite<Void>() {
            @Override
            Void apply(WriteBatch batch) throws SQLException {
                for (int i = 0; i < 4; i++) {
                    batch.append("big", new byte[6_000], "big" + i, "alice");
                }
                return null;
            }
        });
        assertThat(tails.bytes()).isLessThanOrEqualTo(20_000);
        assertThat(tails.topics()).isEqualTo(1); // only big's newest three fit
        assertThat(tails.read("big", 0, 10, 4)).isNull();
        assertThat(tails.read("big", 1, 10, 4)).hasSize(3);
        assertThat(store.read("big", 0, 10)).hasSize(4);
    }

    /**
     * Publishers append to a few topics while readers follow them as live subscribers do, and a trimmer
     * trims: each read is a run of consecutive, whole entries, none beyond the durable sequence, none
     * trimmed before the read began. The tails hold 16 entries per topic, so slots are reused all the time.
     */
    @RepeatedTest(30)
    void readersDuringWritesAndTrimsSeeOnlyWholeCommittedRetainedEntries() throws Exception {
        CommittedTails tails = new CommittedTails(16, 16, 1 << 20);
        SqliteNodeStore store = open(tails);
        List<String> topics = List.of("t0", "t1", "t2");
        int perTopic = 200;
        ExecutorService threads = Executors.newFixedThreadPool(10);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch readersDone = new CountDownLatch(2 * topics.size());
        try {
            for (String topic : topics) {
                for (int r = 0; r < 2; r++) {
                    threads.execute(() -> {
                        try {
                            follow(store, tails, topic, perTopic, problems);
                        } finally {
                            readersDone.countDown();
                        }
                    });
                }
            }
            CompletableFuture<Void> trims = CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    store.trim(Retention.KEEP_ALL.withMaxPerTopic(6)); // into the tails
                }
            }, threads);
            List<CompletableFuture<Void>> publishers = new ArrayList<>();
            for (String topic : topics) { // one entry at a time: many small commits, trims between them
                publishers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 1; i <= perTopic; i++) {
                        store.append(topic, payload(topic, i), "k" + i, "alice").orTimeout(10, TimeUnit.SECONDS).join();
                    }
                }, threads));
            }
            CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).orTimeout(40, TimeUnit.SECONDS).join();
            writing.set(false);
            trims.orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(readersDone.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
        assertThat(problems).isEmpty();
    }

    private static byte[] payload(String topic, long sequence) {
        return (topic + "#" + sequence).repeat(1 + (int) (sequence % 7)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code topic} from the start until its last entry, as a subscriber does, noting what is wrong;
     * every other read asks the tails alone (up to what was durable before), when they have it.
     */
    private static void follow(SqliteNodeStore store, CommittedTails tails, String topic, long last,
                               ConcurrentLinkedQueue<String> problems) {
        long after = 0;
        boolean tailsOnly = false;
        while (after < last && problems.isEmpty()) {
            long firstRetained = store.firstRetained(topic);
            long durableBefore = store.lastSequence(topic);
            tailsOnly = !tailsOnly;
            List<Envelope> fromTails = tailsOnly && after < durableBefore ? tails.read(topic, after, 8, durableBefore) : null;
            List<Envelope> read = fromTails != null ? fromTails : store.read(topic, after, 8);
            long durable = store.lastSequence(topic);
            for (int i = 0; i < read.size(); i++) {
                Envelope e = read.get(i);
                long expected = i == 0 ? Math.max(e.sequence(), after + 1) : read.get(i - 1).sequence() + 1;
                if (e.sequence() != expected || e.sequence() <= after || e.sequence() > durable
                        || e.sequence() < firstRetained || !e.topic().equals(topic)
                        || !Arrays.equals(e.payload(), payload(topic, e.sequence()))
                        || !e.idempotencyKey().equals("k" + e.sequence())) {
                    problems.add(topic + " after " + after + " (first retained " + firstRetained + ", durable "
                            + durable + "): " + e.sequence() + " " + new String(e.payload(), StandardCharsets.UTF_8));
                    return;
                }
            }
            if (!read.isEmpty()) {
                after = read.get(read.size() - 1).sequence();
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
