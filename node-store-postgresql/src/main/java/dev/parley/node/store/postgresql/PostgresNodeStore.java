package dev.parley.node.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.internal.Topics;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.Membership;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.Retention;
import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code postgresql://host:port/db}: the node's history in PostgreSQL, shared by every node that opens
 * the same database and schema (see {@link PostgresSettings} for the URI). Schema by Flyway
 * ({@code db/parley-node-postgresql}); see docs/DESIGN-NOTES.md, "PostgreSQL store (issue 13)".
 * <ul>
 *   <li>Writes are transactions on pooled connections (HikariCP), run on a stripe picked by topic
 *       ({@link Stripes}: call order per topic on this node); appends queued together on a stripe share
 *       one transaction (group commit, up to 64). A topic's next sequence comes from
 *       incrementing its row in {@code topics}; the transaction holds that row's lock until it commits,
 *       so publishers of one topic, on every node, are serialized: sequences are dense and commit in
 *       order, and a read (committed rows only) never sees a gap. An idempotency key is unique per topic:
 *       a retry on any node gets the original entry back.</li>
 *   <li>{@link #appendToConversation} checks membership in the statement that inserts, after it took the
 *       conversation topic's row; {@link #changeConversation} locks the conversation's row, takes the
 *       same topic row, then decides: so a send racing a removal lands before it or is refused.</li>
 *   <li>Futures complete once the transaction committed; the commit also delivers a {@code NOTIFY}
 *       ({@link Hint}) to the other nodes, whose {@link NotificationListener} reports it to their
 *       {@link #onAppended} listener (or {@link #onConversationChanged}). Every second, and after the
 *       listener reconnected, the store compares the last sequences of the topics its readers follow
 *       ({@link KnownSequences}) with the database and reports what no hint told it.</li>
 *   <li>{@link #storedBytes}: see {@link SenderBytesCache} (exact for this node's writes, at most a second
 *       behind for other nodes').</li>
 * </ul>
 * A failure of the database (down, connections killed) fails the call with a {@link StoreException};
 * nothing is half-written, and the pool connects again by itself.
 */
public final class PostgresNodeStore implements NodeStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresNodeStore.class);
    private static final String MIGRATIONS = "classpath:db/parley-node-postgresql";
    private static final long RECONCILE_MS = 1_000;
    private static final int RECONCILE_CHUNK = 1_000;
    /** Appends per transaction at most (group commit). */
    private static final int MAX_BATCH = 64;

    private final PostgresSettings settings;
    private final NodeClock clock;
    private final HikariDataSource pool;
    private final String epoch;
    /** Names this store in its hints, so it ignores its own. */
    private final String origin = UUID.randomUUID().toString().substring(0, 8);
    private final Stripes<AppendRequest> writes;
    private final KnownSequences known = new KnownSequences();
    private final SenderBytesCache bytes;
    private final ScheduledExecutorService reconciler;
    private final NotificationListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean reconcileFailing = new AtomicBoolean();
    private volatile BiConsumer<String, Long> appended = (topic, sequence) -> { };
    private volatile Consumer<String> conversationChanged = id -> { };

    private PostgresNodeStore(PostgresSettings settings, NodeClock clock, HikariDataSource pool, String epoch) {
        this.settings = settings;
        this.clock = clock;
        this.pool = pool;
        this.epoch = epoch;
        int stripes = Math.max(1, settings.poolSize() / 2);
        this.writes = new Stripes<>(stripes, "parley-pg-write", AppendRequest.class, MAX_BATCH, this::appendBatch,
                r -> r.result.completeExceptionally(new IllegalStateException("the node store is closed")));
        this.bytes = new SenderBytesCache(this::readStoredBytes);
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-pg-reconcile");
            t.setDaemon(true);
            return t;
        });
        this.listener = new NotificationListener(settings, this::hinted, () -> reconciler.execute(this::reconcile));
    }

    /**
     * Opens the store {@code settings} name, creating or migrating its schema.
     *
     * @throws StoreException the database cannot be reached, refuses the user, or holds a foreign or newer schema
     */
    static PostgresNodeStore open(PostgresSettings settings, NodeClock clock) {
        HikariDataSource pool = null;
        try {
            pool = pool(settings);
            Flyway.configure(PostgresNodeStore.class.getClassLoader()).dataSource(pool).schemas(settings.schema())
                    .createSchemas(true).locations(MIGRATIONS).load().migrate();
            String epoch;
            try (Connection c = pool.getConnection();
                 PreparedStatement q = c.prepareStatement("SELECT value FROM meta WHERE key = 'epoch'");
                 ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("the node database " + settings.describe() + " has no epoch (damaged)");
                }
                epoch = rs.getString(1);
            }
            PostgresNodeStore store = new PostgresNodeStore(settings, clock, pool, epoch);
            store.start();
            log.info("node store postgresql {} open (epoch {})", settings.describe(), epoch);
            return store;
        } catch (SQLException e) {
            close(pool);
            throw PostgresErrors.of("open the node store", settings, e);
        } catch (FlywayException e) {
            close(pool);
            throw new StoreException("cannot prepare the node store's schema on PostgreSQL " + settings.describe()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(pool);
            if (e.getCause() instanceof SQLException sql) { // the pool could not connect at all
                throw PostgresErrors.of("open the node store", settings, sql);
            }
            throw e;
        }
    }

    private static HikariDataSource pool(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-pg");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setDataSourceProperties(settings.properties());
        config.setSchema(settings.schema());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        // fail fast while the database is away: the client gets a retryable error, not a hang
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        return new HikariDataSource(config);
    }

    private static void close(HikariDataSource pool) {
        if (pool != null) {
            pool.close();
        }
    }

    private void start() {
        listener.start();
        reconciler.scheduleWithFixedDelay(this::reconcile, RECONCILE_MS, RECONCILE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public CompletableFuture<Appended> append(String topic, byte[] payload, String idempotencyKey, String senderInboxId) {
        AppendRequest request = new AppendRequest(topic, payload, idempotencyKey, senderInboxId, null);
        writes.submitBatched(topic, request);
        return request.result;
    }

    @Override
    public CompletableFuture<Appended> appendToConversation(String conversationId, byte[] payload, String idempotencyKey,
                                                            String senderInboxId) {
        String topic = Topics.conversation(conversationId);
        AppendRequest request = new AppendRequest(topic, payload, idempotencyKey, senderInboxId, conversationId);
        writes.submitBatched(topic, request);
        return request.result;
    }

    /** An append waiting for its batch; {@code memberOf}: the conversation only whose members may append. */
    private record AppendRequest(String topic, byte[] payload, String key, String sender, String memberOf,
                                 CompletableFuture<Appended> result) {
        AppendRequest(String topic, byte[] payload, String key, String sender, String memberOf) {
            this(topic, payload, key, sender, memberOf, new CompletableFuture<>());
        }
    }

    /**
     * Group commit: the appends queued together on a stripe, in one transaction, taking their topics'
     * rows in name order (every transaction does, so none waits on another in a circle; per topic the
     * order stays the call order). An append whose key is taken gives its sequence back at once and
     * answers with the stored entry; one by a non-member is refused alone. Futures complete after the
     * commit; when the transaction fails, every append of the batch fails with a {@link StoreException}.
     */
    private void appendBatch(List<AppendRequest> batch) {
        List<AppendRequest> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing(AppendRequest::topic)); // stable: call order within a topic
        List<Object> outcomes = new ArrayList<>(ordered.size());
        WriteTransaction done;
        try (Connection c = pool.getConnection()) {
            WriteTransaction tx = new WriteTransaction(c, clock, origin, settings.channel());
            try {
                for (AppendRequest r : ordered) {
                    outcomes.add(appendIn(tx, r));
                }
                tx.commit();
                done = tx;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(tx);
                throw e;
            }
        } catch (SQLException e) {
            StoreException failure = PostgresErrors.of("append " + batch.size() + " entries to "
                    + ordered.get(0).topic() + (batch.size() > 1 ? " and others" : ""), settings, e);
            batch.forEach(r -> r.result.completeExceptionally(failure));
            return;
        } catch (RuntimeException e) {
            batch.forEach(r -> r.result.completeExceptionally(e));
            return;
        }
        committed(done);
        for (int i = 0; i < ordered.size(); i++) {
            if (outcomes.get(i) instanceof Appended appended) {
                ordered.get(i).result.complete(appended);
            } else {
                ordered.get(i).result.completeExceptionally((RuntimeException) outcomes.get(i));
            }
        }
    }

    /** One append of a batch: the new entry, the one stored under its key, or why it is refused. */
    private static Object appendIn(WriteTransaction tx, AppendRequest r) throws SQLException {
        WriteTransaction.Slot slot = tx.next(r.topic());
        Optional<Envelope> entry = tx.insert(slot, r.payload(), r.key(), r.sender(), r.memberOf());
        if (entry.isPresent()) {
            return new Appended(entry.get(), true);
        }
        tx.giveBack(slot);
        Optional<Envelope> original = tx.storedByKey(r.topic(), r.key());
        if (original.isPresent()) {
            return new Appended(original.get(), false);
        }
        if (r.memberOf() != null) {
            return Membership.notAMember(r.sender(), r.memberOf());
        }
        return new StoreException("the entry with key " + r.key() + " of " + r.topic()
                + " was removed while it was appended again; retry");
    }

    @Override
    public CompletableFuture<Optional<Appended>> changeConversation(String conversationId, ConversationChange change,
                                                                    String idempotencyKey, String senderInboxId) {
        String topic = Topics.conversation(conversationId);
        return writes.submit(topic, () -> changeNow(conversationId, topic, change, idempotencyKey, senderInboxId));
    }

    /**
     * The change in one transaction holding the conversation's row (FOR UPDATE) and its topic's row;
     * {@link ConversationChange#settled} is called on this thread once the commit succeeded or failed,
     * before this stripe runs the next write of the conversation.
     */
    private Optional<Appended> changeNow(String conversationId, String topic, ConversationChange change, String key,
                                         String sender) {
        boolean applied = false;
        boolean written = false;
        try (Connection c = pool.getConnection()) {
            WriteTransaction tx = new WriteTransaction(c, clock, origin, settings.channel());
            try {
                if (!ConversationTable.lock(c, conversationId)) {
                    tx.rollback();
                    throw Membership.notAMember(sender, conversationId);
                }
                Optional<Envelope> earlier = tx.storedByKey(topic, key);
                if (earlier.isPresent()) {
                    tx.rollback();
                    return Optional.of(new Appended(earlier.get(), false));
                }
                WriteTransaction.Slot slot = tx.next(topic);
                ConversationEntry current = ConversationTable.load(c, conversationId).orElseThrow();
                Optional<ConversationChange.Outcome> outcome = change.apply(current, slot.sequence());
                if (outcome.isEmpty()) {
                    tx.rollback();
                    return Optional.empty();
                }
                applied = true;
                List<ConversationChange.SideEntry> sides = new ArrayList<>(outcome.get().alongside());
                sides.sort(Comparator.comparing(ConversationChange.SideEntry::topic)); // topic rows in one order
                for (ConversationChange.SideEntry side : sides) {
                    if (tx.storedByKey(side.topic(), side.idempotencyKey()).isEmpty()
                            && tx.insert(tx.next(side.topic()), side.payload(), side.idempotencyKey(), side.senderInboxId(),
                            null).isEmpty()) {
                        throw new StoreException("entry " + side.idempotencyKey() + " of " + side.topic()
                                + " was written by another node during a group update; retry");
                    }
                }
                ConversationTable.update(c, current, outcome.get().next());
                Envelope entry = tx.insert(slot, outcome.get().payload(), key, sender, null).orElseThrow(
                        () -> new StoreException("group update " + key + " of " + topic + " was written by another"
                                + " node meanwhile; retry"));
                tx.conversationChanged(conversationId);
                tx.commit();
                written = true;
                committed(tx);
                return Optional.of(new Appended(entry, true));
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(tx);
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresErrors.of("change conversation " + conversationId, settings, e);
        } finally {
            if (applied) {
                change.settled(written);
            }
        }
    }

    private static void rollbackQuietly(WriteTransaction tx) {
        try {
            tx.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed (the connection is gone; the server rolled back)", e);
        }
    }

    /** A transaction of this store committed: its bytes count, its entries are reported. */
    private void committed(WriteTransaction tx) {
        bytes.committed(tx.byteChanges());
        BiConsumer<String, Long> listener = appended;
        for (Envelope e : tx.appended()) {
            known.raise(e.topic(), e.sequence());
            try {
                listener.accept(e.topic(), e.sequence());
            } catch (RuntimeException failure) {
                log.error("the appended listener failed on {} {}", e.topic(), e.sequence(), failure);
            }
        }
    }

    @Override
    public List<Envelope> read(String topic, long afterSequence, int limit) {
        List<Envelope> entries = reading("read " + topic, c -> {
            List<Envelope> page = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT seq, ts, sender, idem_key, payload FROM messages"
                    + " WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                q.setString(1, topic);
                q.setLong(2, afterSequence);
                q.setInt(3, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        page.add(new Envelope(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(5), rs.getString(4),
                                rs.getString(3)));
                    }
                }
            }
            return page;
        });
        known.read(topic, entries.isEmpty() ? afterSequence : entries.get(entries.size() - 1).sequence());
        return entries;
    }

    @Override
    public long lastSequence(String topic) {
        return queryLong("read the last sequence of " + topic, "SELECT coalesce((SELECT last_seq FROM topics"
                + " WHERE name = ?), 0)", topic);
    }

    @Override
    public long firstRetained(String topic) {
        return queryLong("read the first retained entry of " + topic, "SELECT coalesce((SELECT min(seq) FROM messages"
                + " WHERE topic = ?), (SELECT last_seq + 1 FROM topics WHERE name = ?), 1)", topic, topic);
    }

    @Override
    public long storedBytes(String senderInboxId) {
        return bytes.of(senderInboxId);
    }

    private long readStoredBytes(String sender) {
        return queryLong("read the bytes stored by " + sender, "SELECT coalesce((SELECT bytes FROM sender_bytes"
                + " WHERE sender = ?), 0)", sender);
    }

    private long queryLong(String doing, String sql, String... params) {
        return reading(doing, c -> {
            try (PreparedStatement q = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    q.setString(i + 1, params[i]);
                }
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** A read on a pooled connection. */
    @FunctionalInterface
    private interface Read<T> {
        T on(Connection c) throws SQLException;
    }

    /**
     * Runs {@code read}, again on another connection while the pool hands out connections the server
     * has closed (killed or restarted: the pool finds out on use), at most once per pooled connection.
     */
    private <T> T reading(String doing, Read<T> read) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                return read.on(c);
            } catch (SQLException e) {
                if (attempt >= settings.poolSize() || !PostgresErrors.connectionLost(e)) {
                    throw PostgresErrors.of(doing, settings, e);
                }
                log.debug("{}: connection lost ({}); reading again on another", doing, e.getMessage());
            }
        }
    }

    /**
     * Removes old entries in one transaction: by age (timestamp before now minus the age), then per topic
     * all but the newest {@code maxPerTopic} (by sequence, from the topic's last one). Nodes sharing the
     * database may each trim: a row is removed (and its bytes freed) by one of them only.
     */
    @Override
    public long trim(Retention retention) {
        if (retention.keepsAll()) {
            return 0;
        }
        long removed = 0;
        try (Connection c = pool.getConnection()) {
            WriteTransaction tx = new WriteTransaction(c, clock, origin, settings.channel());
            try {
                if (retention.maxAge().isPresent()) {
                    removed += delete(tx, "DELETE FROM messages WHERE ts < ?",
                            clock.nowNs() - retention.maxAge().get().toNanos());
                }
                if (retention.maxPerTopic().isPresent()) {
                    removed += delete(tx, "DELETE FROM messages m USING topics t WHERE m.topic = t.name"
                            + " AND m.seq <= t.last_seq - ?", retention.maxPerTopic().getAsLong());
                }
                tx.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(tx);
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresErrors.of("trim the logs", settings, e);
        } finally {
            bytes.forgetAll();
        }
        return removed;
    }

    /** Runs {@code delete} (on {@code messages m}, one long parameter), freeing the bytes of what it removed. */
    private static long delete(WriteTransaction tx, String delete, long parameter) throws SQLException {
        long removed = 0;
        try (PreparedStatement q = tx.c.prepareStatement("WITH d AS (" + delete
                + " RETURNING sender, octet_length(payload) AS n) SELECT sender, count(*), sum(n) FROM d GROUP BY sender")) {
            q.setLong(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    removed += rs.getLong(2);
                    tx.freed(rs.getString(1), rs.getLong(3));
                }
            }
        }
        return removed;
    }

    @Override
    public CompletableFuture<Void> putConversation(ConversationEntry conversation) {
        return writes.submit(Topics.conversation(conversation.id()), () -> {
            try (Connection c = pool.getConnection()) {
                WriteTransaction tx = new WriteTransaction(c, clock, origin, settings.channel());
                try {
                    if (!ConversationTable.insert(c, conversation)) {
                        tx.rollback();
                        throw new IllegalStateException("conversation id collision " + conversation.id());
                    }
                    tx.commit();
                    return null;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(tx);
                    throw e;
                }
            } catch (SQLException e) {
                throw PostgresErrors.of("store conversation " + conversation.id(), settings, e);
            }
        });
    }

    @Override
    public Optional<ConversationEntry> conversation(String id) {
        return reading("read conversation " + id, c -> ConversationTable.load(c, id));
    }

    /** One round trip on a pooled connection: the server answers (the node's health check). */
    @Override
    public void probe() {
        reading("probe the database", c -> {
            try (var statement = c.createStatement()) {
                statement.execute("SELECT 1");
            }
            return null;
        });
    }

    @Override
    public void onAppended(BiConsumer<String, Long> listener) {
        this.appended = listener;
    }

    @Override
    public void onConversationChanged(Consumer<String> listener) {
        this.conversationChanged = listener;
    }

    /** A hint from the listening connection: reports what another node committed. */
    private void hinted(String payload) {
        Optional<Hint> hint = Hint.parse(payload);
        if (hint.isEmpty() || hint.get().origin().equals(origin)) {
            return;
        }
        Hint h = hint.get();
        if (h.kind() == Hint.CONVERSATION_CHANGED) {
            conversationChanged.accept(h.subject());
        } else {
            known.raise(h.subject(), h.sequence());
            appended.accept(h.subject(), h.sequence());
        }
    }

    /**
     * Compares the last sequences of the topics readers here follow with the database, and reports
     * those that grew without a hint (lost while the listener was away). Runs on the reconcile thread.
     */
    void reconcile() {
        if (closed.get()) {
            return;
        }
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT name, last_seq FROM topics WHERE name = ANY(?)")) {
            for (List<String> chunk : known.topics(RECONCILE_CHUNK)) {
                q.setArray(1, c.createArrayOf("text", chunk.toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String topic = rs.getString(1);
                        long last = rs.getLong(2);
                        if (known.raise(topic, last)) {
                            log.debug("reconcile: {} grew to {} without a hint", topic, last);
                            appended.accept(topic, last);
                        }
                    }
                }
            }
            if (reconcileFailing.getAndSet(false)) {
                log.info("reconcile with {} works again", settings.describe());
            }
        } catch (SQLException | RuntimeException e) {
            if (!reconcileFailing.getAndSet(true)) {
                log.warn("cannot reconcile with {} ({}); retrying every {} ms", settings.describe(), e.getMessage(),
                        RECONCILE_MS);
            }
        }
    }

    /** Whether the listening connection is up (for tests). */
    boolean isListening() {
        return listener.isConnected();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writes.close();
        listener.close();
        reconciler.shutdownNow();
        pool.close();
        log.info("node store postgresql {} closed", settings.describe());
    }
}
