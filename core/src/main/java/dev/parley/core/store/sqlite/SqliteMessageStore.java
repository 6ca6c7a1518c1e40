package dev.parley.core.store.sqlite;

import dev.parley.ConsentRecord;
import dev.parley.DecodedMessage;
import dev.parley.LocalStoreException;
import dev.parley.core.codec.Codecs;
import dev.parley.core.conversation.EnvelopeProcessor;
import dev.parley.core.store.ConversationRecord;
import dev.parley.core.store.Conversations;
import dev.parley.core.store.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The client's state in one SQLite file ({@code ClientOptions.dbPath}). Conversations, consent,
 * sync cursors and the node epoch are small and kept in memory as well (read on every message);
 * messages are read from the file when asked for, never cached. Writes of a
 * {@linkplain #inTransaction transaction} are held by its thread and handed over together at its
 * end (a write outside one on its own) to the {@link Writer}, which commits what waits at once;
 * reads wait for what was handed over before them.
 */
public final class SqliteMessageStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteMessageStore.class);
    private static final String INBOX = "inbox_id";
    private static final String EPOCH = "node_epoch";
    private static final String GENERATION = "generation";

    private final Database db;
    private final Writer writer;
    private final MessageContent content;
    private final ThreadLocal<PendingWrites> open = new ThreadLocal<>();
    private final Conversations conversations = new Conversations();
    private final Map<String, ConsentRecord> consent;
    private final Map<String, Long> cursors;
    private String nodeEpoch;
    private volatile long generation; // read by the writer without this store's lock

    private SqliteMessageStore(Database db, Codecs codecs) {
        this.db = db;
        this.content = new MessageContent(codecs);
        db.read("read", sql -> {
            Rows.conversations(sql).forEach(conversations::put);
            return null;
        });
        this.consent = new HashMap<>(db.read("read", Rows::consent));
        this.cursors = new HashMap<>(db.read("read", Rows::syncCursors));
        this.nodeEpoch = db.read("read", sql -> Rows.meta(sql, EPOCH)).orElse(null);
        this.generation = Long.parseLong(db.read("read", sql -> Rows.meta(sql, GENERATION)).orElse("0"));
        this.writer = new Writer(db, this::currentGeneration);
    }

    /**
     * Opens (or creates) {@code path} for {@code inboxId}.
     *
     * @throws LocalStoreException when the file is another inbox's, in use, of a newer schema,
     *                             not a Parley database or damaged
     */
    public static SqliteMessageStore open(Path path, String inboxId, Codecs codecs) {
        DatabaseFile file = DatabaseFile.open(path, Schema.LATEST);
        Database db = new Database(file);
        try {
            claim(db, file.path(), inboxId);
            SqliteMessageStore store = new SqliteMessageStore(db, codecs);
            log.debug("opened {} for {}: {} conversations", file.path(), inboxId, store.conversations.size());
            return store;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static void claim(Database db, Path path, String inboxId) {
        String owner = db.transaction("claim", sql -> {
            Optional<String> stored = Rows.meta(sql, INBOX);
            if (stored.isEmpty()) {
                Rows.meta(sql, INBOX, inboxId);
            }
            return stored.orElse(inboxId);
        });
        if (!owner.equals(inboxId)) {
            throw new LocalStoreException(LocalStoreException.Reason.OTHER_INBOX,
                    path + " belongs to inbox " + owner + ", not " + inboxId + "; use one database file per inbox");
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public void inTransaction(String epoch, Runnable writes) {
        PendingWrites pending = open.get();
        if (pending == null) {
            pending = new PendingWrites(generationOf(epoch));
            open.set(pending);
        }
        pending.depth++;
        try {
            writes.run();
        } finally {
            // even after a failure: the caches hold these writes already, and what was handled was handled
            if (--pending.depth == 0) {
                open.remove();
                commit(pending);
            }
        }
    }

    private void commit(PendingWrites pending) {
        if (!pending.isEmpty()) {
            writer.submit(pending);
        }
    }

    /** The generation of {@code epoch}'s writes: none (they will be dropped) unless the store follows it. */
    private synchronized long generationOf(String epoch) {
        return epoch.equals(nodeEpoch == null ? "" : nodeEpoch) ? generation : -1;
    }

    /** False inside a transaction of a history this store no longer follows (its writes are dropped). Holds this. */
    private boolean ofCurrentHistory() {
        PendingWrites pending = open.get();
        return pending == null || pending.generation == generation;
    }

    /** Adds one write to the thread's transaction, or commits it at once outside one. */
    private void write(Consumer<PendingWrites> change) {
        PendingWrites pending = open.get();
        if (pending != null) {
            change.accept(pending);
            return;
        }
        PendingWrites single = new PendingWrites(currentGeneration());
        change.accept(single);
        commit(single);
    }

    /** Commits the thread's pending writes and waits for every write handed over, so a read sees them. */
    private void flushOwn() {
        PendingWrites pending = open.get();
        if (pending != null && !pending.isEmpty()) {
            open.set(new PendingWrites(pending.generation));
            open.get().depth = pending.depth;
            commit(pending);
        }
        writer.awaitWritten();
    }

    @Override
    public boolean putConversation(ConversationRecord conversation) {
        synchronized (this) {
            if (!ofCurrentHistory() || !conversations.put(conversation)) {
                return false;
            }
        }
        write(w -> w.add(sql -> Rows.conversation(sql, conversation)));
        return true;
    }

    @Override
    public synchronized Optional<ConversationRecord> conversation(String id) {
        return conversations.get(id);
    }

    @Override
    public synchronized List<ConversationRecord> conversations() {
        return conversations.all();
    }

    @Override
    public void putConsent(ConsentRecord record) {
        synchronized (this) {
            if (consent.merge(record.conversationId(), record,
                    (old, fresh) -> fresh.updatedAtNs() >= old.updatedAtNs() ? fresh : old) != record) {
                return;
            }
        }
        write(w -> w.add(sql -> Rows.consent(sql, record)));
    }

    @Override
    public synchronized Optional<ConsentRecord> consent(String conversationId) {
        return Optional.ofNullable(consent.get(conversationId));
    }

    /** Always true: whether the message was stored already is known only when the transaction commits. */
    @Override
    public boolean putMessage(DecodedMessage message, long sequence) {
        long in = currentGeneration();
        byte[] bytes = content.encode(message);
        String type = content.typeName(message.contentType());
        // an id its conversation and sequence give is left out of the row (made again when read)
        String id = EnvelopeProcessor.knownMessageId(message.id(), message.conversationId(), sequence) ? null
                : message.id();
        MessageRow row = new MessageRow(message.conversationId(), in, sequence, id, message.senderInboxId(),
                message.sentAtNs(), type, bytes, message.fallback());
        write(w -> w.message(row));
        return true;
    }

    @Override
    public List<DecodedMessage> messages(String conversationId) {
        flushOwn();
        return db.read("read messages of", sql -> Rows.messages(sql, conversationId, content));
    }

    @Override
    public synchronized long cursor(String topic) {
        return cursors.getOrDefault(topic, 0L);
    }

    @Override
    public void advanceCursor(String topic, long sequence) {
        synchronized (this) {
            if (!ofCurrentHistory()) {
                return;
            }
            cursors.merge(topic, sequence, Math::max);
        }
        write(w -> w.cursor(topic, sequence));
    }

    @Override
    public Map<String, Long> durableCursors(String stream) {
        flushOwn();
        return db.read("read durable cursors of", sql -> Rows.durableCursors(sql, stream));
    }

    @Override
    public void advanceDurableCursor(String stream, String topic, long sequence) {
        write(w -> w.durableCursor(stream, topic, sequence));
    }

    @Override
    public synchronized Optional<String> nodeEpoch() {
        return Optional.ofNullable(nodeEpoch);
    }

    /**
     * The first epoch is only handed over to the writer like any write (it is met while connecting, on
     * the transport's thread, which must not wait for the disk; every later write comes after it); a
     * replaced one is dropped with its history in one transaction before this returns.
     */
    @Override
    public boolean adoptEpoch(String epoch) {
        synchronized (this) {
            if (epoch.equals(nodeEpoch)) {
                return false;
            }
            if (nodeEpoch == null) {
                nodeEpoch = epoch;
                PendingWrites first = new PendingWrites(generation);
                first.add(sql -> Rows.meta(sql, EPOCH, epoch));
                writer.submit(first); // every write of this history is handed over after it
                return false;
            }
        }
        flushOwn();
        synchronized (this) {
            String previous = nodeEpoch;
            if (epoch.equals(previous)) {
                return false;
            }
            long next = generation + 1;
            db.transaction("adopt the node epoch in", sql -> {
                Rows.meta(sql, EPOCH, epoch);
                Rows.meta(sql, GENERATION, Long.toString(next));
                Rows.dropHistory(sql);
                return null;
            });
            nodeEpoch = epoch;
            generation = next;
            cursors.clear();
            conversations.clear();
            log.info("node history changed from {} to {}: its conversations, messages and cursors dropped",
                    previous, epoch);
            return true;
        }
    }

    private long currentGeneration() {
        return generation;
    }

    /** SQLite commits since open, once what was handed over is written (a run or sync page is at most one). */
    public long commits() {
        writer.awaitWritten();
        return db.commits();
    }

    /** Writes what was handed over, then closes the file. */
    @Override
    public void close() {
        try {
            flushOwn();
        } finally {
            writer.close();
            db.close();
        }
    }
}
