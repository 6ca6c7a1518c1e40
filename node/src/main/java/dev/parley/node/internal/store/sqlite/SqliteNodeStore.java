package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.SenderBytes;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * {@code sqlite:<dir>}: the node's history in one SQLite database in {@code dir} (WAL,
 * {@code synchronous=NORMAL} plus an fsync of the log before anything is acknowledged: see
 * {@link WalSync}), written by one thread with group commit, read through a few read-only
 * connections. The directory is locked while the store is open.
 */
public final class SqliteNodeStore implements NodeStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteNodeStore.class);
    /** A topic no client can name (topics have a kind and a subject), read by {@link #probe()}. */
    private static final String PROBE_TOPIC = "health-probe";
    private static final int READERS = 4;
    /** Topics whose idempotency keys the writer keeps in memory after a commit (least recently used dropped). */
    static final int KEY_INDEXES = 4096;
    /**
     * Entries those key indexes hold together after a commit (16-32 B each: 64-128 MiB), the last used topic's
     * always: a few very large topics no longer hold unbounded memory.
     */
    static final long KEY_INDEX_ENTRIES = 1L << 22;
    /** Committed entries kept in memory for live subscribers, per topic (see {@link CommittedTails}). */
    static final int TAIL_ENTRIES = 256;
    /** Topics whose newest committed entries are kept in memory (least recently written dropped). */
    static final int TAIL_TOPICS = 4096;
    /** Bytes those kept entries hold together (payloads, keys and a fixed cost per entry). */
    static final long TAIL_BYTES = 32L << 20;

    private final DataDirectory dir;
    private final Connection writer;
    private final String epoch;
    private final NodeClock clock;
    private final WalSync wal;
    private final GroupCommitWriter writes;
    private final ReadPool reads;
    private final CommittedTails tails;
    /**
     * Per topic appended to since open: its last durable sequence. The writer puts a topic here
     * before the first commit that adds to it (with the last sequence stored before, durable since
     * the log was synced on open); it rises once a commit is synced. Reads never go beyond it, so
     * nobody sees an entry that a power loss could still take back. A topic not here has had no
     * entry added since open: all it has is durable.
     */
    private final ConcurrentMap<String, Long> lastSequences = new ConcurrentHashMap<>();
    /** Last sequences read from the file, of topics not appended to since open (they cannot change). */
    private final ConcurrentMap<String, Long> storedLastSequences = new ConcurrentHashMap<>();
    /**
     * Payload bytes per sender: read from table {@code sender_bytes} at open (which every transaction
     * keeps up to date), then raised by each commit and lowered by each trim.
     */
    private final SenderBytes bytes = new SenderBytes();
    private volatile BiConsumer<String, Long> appended = (topic, sequence) -> { };

    private SqliteNodeStore(DataDirectory dir, Connection writer, WalSync wal, String epoch, NodeClock clock,
                            int keyIndexes, long keyIndexEntries, CommittedTails tails) throws SQLException {
        try (PreparedStatement totals = writer.prepareStatement("SELECT sender, bytes FROM sender_bytes")) {
            Map<String, Long> stored = new HashMap<>();
            WriteBatch.sumBySender(totals, stored);
            bytes.addAll(stored);
        }
        this.dir = dir;
        this.writer = writer;
        this.wal = wal;
        this.epoch = epoch;
        this.clock = clock;
        this.tails = tails;
        long[] keyHashKey = SqliteSchema.keyHashKey(writer);
        this.writes = new GroupCommitWriter(() -> new WriteBatch(writer, clock, this::assigned, keyHashKey, keyIndexes,
                        keyIndexEntries, tails),
                dir.database(), wal,
                "parley-store-" + dir.database().getParent().getFileName(), this::committed);
        this.reads = new ReadPool(dir.database(), READERS);
    }

    /**
     * Opens (creating if missing) the store in {@code directory}.
     *
     * @throws StoreException the directory cannot be written or is in use by another node, the
     *                        database is corrupt, foreign, or of a newer schema
     */
    public static SqliteNodeStore open(Path directory, NodeClock clock) {
        return open(directory, clock, KEY_INDEXES);
    }

    /** As {@link #open(Path, NodeClock)}, keeping at most {@code keyIndexes} topics' key indexes in memory after a commit. */
    static SqliteNodeStore open(Path directory, NodeClock clock, int keyIndexes) {
        return open(directory, clock, keyIndexes, KEY_INDEX_ENTRIES);
    }

    /** As {@link #open(Path, NodeClock, int)}, the key indexes also holding at most {@code keyIndexEntries} entries together. */
    static SqliteNodeStore open(Path directory, NodeClock clock, int keyIndexes, long keyIndexEntries) {
        return open(directory, clock, keyIndexes, keyIndexEntries,
                new CommittedTails(TAIL_ENTRIES, TAIL_TOPICS, TAIL_BYTES));
    }

    /** As {@link #open(Path, NodeClock, int, long)}, keeping the newest committed entries in {@code tails}. */
    static SqliteNodeStore open(Path directory, NodeClock clock, int keyIndexes, long keyIndexEntries,
                                CommittedTails tails) {
        DataDirectory dir = DataDirectory.lock(directory.toAbsolutePath());
        Connection writer = null;
        WalSync wal = null;
        try {
            writer = SqliteConnections.writer(dir.database());
            String epoch = SqliteSchema.prepare(writer, dir.database());
            wal = WalSync.open(dir.database());
            SqliteNodeStore store = new SqliteNodeStore(dir, writer, wal, epoch, clock, keyIndexes, keyIndexEntries, tails);
            log.info("node store {} open (schema {}, epoch {})", dir.database(), SqliteSchema.VERSION, epoch);
            return store;
        } catch (SQLException e) {
            Sql.closeQuietly(wal);
            Sql.closeQuietly(writer);
            dir.close();
            throw SqliteErrors.of("open the node database", dir.database(), e);
        } catch (IOException e) {
            Sql.closeQuietly(wal);
            Sql.closeQuietly(writer);
            dir.close();
            throw new StoreException("cannot open the log of " + dir.database() + ": " + e, e);
        } catch (RuntimeException e) {
            Sql.closeQuietly(wal);
            Sql.closeQuietly(writer);
            dir.close();
            throw e;
        }
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey,
                                              String senderInboxId) {
        return writes.submit(new PendingWrite<>() {
            @Override
            Appended apply(WriteBatch batch) throws SQLException {
                return batch.append(topic, payload, idempotencyKey, senderInboxId);
            }
        });
    }

    @Override
    public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload,
                                                            String idempotencyKey, String senderInboxId) {
        return writes.submit(new PendingWrite<>() {
            @Override
            Appended apply(WriteBatch batch) throws SQLException {
                return batch.appendToConversation(conversationId, payload, idempotencyKey, senderInboxId);
            }
        });
    }

    @Override
    public CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                                    String idempotencyKey, String senderInboxId) {
        ChangeWrite write = new ChangeWrite(conversationId, change, idempotencyKey, senderInboxId);
        return writes.submit(write).whenComplete((result, error) -> write.settle(true));
    }

    /**
     * A change on the writer thread: the change is settled not written when its batch is rolled back
     * (before the writer goes on), else written once its future completes.
     */
    private final class ChangeWrite extends PendingWrite<Optional<Appended>> {
        private final String conversationId;
        private final ConversationChange change;
        private final String idempotencyKey;
        private final String senderInboxId;
        private final AtomicBoolean applied = new AtomicBoolean();

        ChangeWrite(String conversationId, ConversationChange change, String idempotencyKey, String senderInboxId) {
            this.conversationId = conversationId;
            this.change = change;
            this.idempotencyKey = idempotencyKey;
            this.senderInboxId = senderInboxId;
        }

        @Override
        Optional<Appended> apply(WriteBatch batch) throws SQLException {
            return batch.changeConversation(conversationId, (current, sequence) -> {
                Optional<ConversationChange.Outcome> outcome = change.apply(current, sequence);
                applied.set(outcome.isPresent());
                return outcome;
            }, idempotencyKey, senderInboxId);
        }

        @Override
        void undone() {
            settle(false);
        }

        void settle(boolean written) {
            if (applied.getAndSet(false)) {
                change.settled(written);
            }
        }
    }

    /**
     * From the committed tails when they hold every entry asked for (a live subscriber reading what was
     * just published), else from the database; never beyond the topic's durable sequence.
     */
    @Override
    public List<Envelope> read(String topic, long afterSequence, int limit) {
        Long upTo = lastSequences.get(topic);
        if (upTo != null) {
            if (afterSequence >= upTo || limit <= 0) {
                return List.of(); // what the database gives, after cutting it at the durable sequence
            }
            List<Envelope> recent = tails.read(topic, afterSequence, limit, upTo);
            if (recent != null) {
                return recent;
            }
        }
        List<Envelope> entries = reads.read("read " + topic, c -> c.read(topic, afterSequence, limit));
        Long durable = lastSequences.get(topic); // after the read: covers a commit the read saw
        if (durable == null || entries.isEmpty() || entries.get(entries.size() - 1).sequence() <= durable) {
            return entries;
        }
        return entries.stream().filter(e -> e.sequence() <= durable).toList();
    }

    @Override
    public long lastSequence(String topic) {
        Long known = lastSequences.get(topic);
        if (known != null) {
            return known;
        }
        Long cached = storedLastSequences.get(topic);
        if (cached != null) {
            known = lastSequences.get(topic);
            return known != null ? known : cached;
        }
        long stored = reads.read("read the last sequence of " + topic, c -> c.lastSequence(topic));
        known = lastSequences.get(topic); // after the read: an append since open may not be durable yet
        if (known != null) {
            return Math.min(known, stored);
        }
        storedLastSequences.put(topic, stored);
        return stored;
    }

    /** One indexed read on a pooled connection: the database file is there and answers. */
    @Override
    public void probe() {
        reads.read("answer a health check", c -> c.lastSequence(PROBE_TOPIC));
    }

    @Override
    public long firstRetained(String topic) {
        long first = reads.read("read the first retained entry of " + topic, c -> c.firstRetained(topic));
        Long durable = lastSequences.get(topic);
        return durable != null ? Math.min(first, durable + 1) : first;
    }

    @Override
    public long trim(Retention retention) {
        if (retention.keepsAll()) {
            return 0;
        }
        long oldestKept = retention.maxAge().map(age -> clock.nowNs() - age.toNanos()).orElse(Long.MIN_VALUE);
        long maxCount = retention.maxPerTopic().orElse(Long.MAX_VALUE);
        try {
            return writes.submit(new PendingWrite<WriteBatch.Trimmed>() {
                private Map<String, Long> freed = Map.of();

                // the bytes are freed before the deletion commits: whoever sees the entries gone finds the quota freed
                @Override
                WriteBatch.Trimmed apply(WriteBatch batch) throws SQLException {
                    WriteBatch.Trimmed trimmed = batch.trim(oldestKept, maxCount);
                    freed = trimmed.freedBySender();
                    bytes.removeAll(freed);
                    return trimmed;
                }

                @Override
                void undone() {
                    bytes.addAll(freed);
                    freed = Map.of();
                }
            }).join().removed();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StoreException s ? s : new StoreException("trim failed: " + e.getCause(), e);
        }
    }

    @Override
    public long storedBytes(String senderInboxId) {
        return bytes.of(senderInboxId);
    }

    @Override
    public CompletableFuture<Void> putConversation(ConversationEntry conversation) {
        return writes.submit(new PendingWrite<>() {
            @Override
            Void apply(WriteBatch batch) throws SQLException {
                return batch.putConversation(conversation);
            }
        });
    }

    @Override
    public Optional<ConversationEntry> conversation(String id) {
        return reads.read("read conversation " + id, c -> c.conversation(id));
    }

    @Override
    public void onAppended(BiConsumer<String, Long> listener) {
        this.appended = listener;
    }

    /** A new entry's sequence was assigned, before its commit: readers of its topic stop at what was stored before. */
    private void assigned(Envelope entry) {
        lastSequences.putIfAbsent(entry.topic(), entry.sequence() - 1);
    }

    /** The log's syncer, for tests that hold it. */
    WalSync wal() {
        return wal;
    }

    /** The writer, for tests that inject faults (a size limit) on its connection. */
    GroupCommitWriter writer() {
        return writes;
    }

    /**
     * A commit's entries are durable: each topic's durable sequence rises to its last entry, and each sender's
     * total by its entries' bytes, once per topic and per sender (the syncer runs this before the commit's
     * publishes are acknowledged, so it is on every round's path); then the listener hears of every entry.
     */
    private void committed(List<Envelope> entries) {
        Map<String, Long> lastByTopic = new HashMap<>();
        Map<String, Long> bytesBySender = new HashMap<>();
        for (Envelope e : entries) {
            lastByTopic.put(e.topic(), e.sequence()); // a commit's entries of a topic come in sequence order
            bytesBySender.merge(e.senderInboxId(), (long) e.payload().length, Long::sum);
        }
        lastByTopic.forEach((topic, last) -> lastSequences.merge(topic, last, Math::max));
        bytes.addAll(bytesBySender);
        BiConsumer<String, Long> listener = appended;
        for (Envelope e : entries) {
            listener.accept(e.topic(), e.sequence());
        }
    }

    @Override
    public void close() {
        writes.close();
        tails.clear();
        Sql.closeQuietly(wal);
        reads.close();
        Sql.closeQuietly(writer);
        dir.close();
        log.info("node store {} closed", dir.database());
    }

}
