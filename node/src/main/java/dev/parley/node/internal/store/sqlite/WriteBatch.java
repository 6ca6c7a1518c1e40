package dev.parley.node.internal.store.sqlite;

import dev.parley.internal.Topics;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.Membership;
import dev.parley.node.store.Appended;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.spi.Envelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The writes of one transaction on the writer connection: appends (sequence, timestamp and
 * idempotency; to a conversation only by its members), conversations and their changes, and trims. Only the writer thread uses it; statements are prepared
 * once and reused by every batch.
 */
final class WriteBatch implements AutoCloseable {
    private final Connection c;
    private final NodeClock clock;
    private final Consumer<Envelope> assigned;
    private final TopicSequences sequences;
    private final List<Envelope> appended = new ArrayList<>();
    private final CommittedTails tails;
    /** Per topic this transaction trimmed: the last sequence it removed. */
    private final Map<String, Long> trimmedTopics = new HashMap<>();
    /** Payload bytes per sender this transaction added (appends) or removed (trims), written at commit. */
    private final Map<String, Long> byteChanges = new HashMap<>();
    private final ChunkRows chunks;
    private final TopicKeyIndexes keys;
    private final ConversationRows conversations;
    private final PreparedStatement allTopics;
    private final PreparedStatement topicsOver;
    private final PreparedStatement addSenderBytes;
    private final PreparedStatement dropEmptySender;
    private final Statement transaction;

    /**
     * {@code assigned} hears of each new entry when its sequence is assigned, before its commit;
     * {@code keyHashKey} is the database's key of its stored key hashes; at most {@code maxKeyIndexes}
     * topics' key indexes, of at most {@code maxKeyIndexEntries} entries together, stay in memory after a commit
     * (the last used one always: {@link TopicKeyIndexes}); {@code tails} gets each commit's new entries, and
     * hears of what a trim removes.
     */
    WriteBatch(Connection writer, NodeClock clock, Consumer<Envelope> assigned, long[] keyHashKey, int maxKeyIndexes,
               long maxKeyIndexEntries, CommittedTails tails) throws SQLException {
        this.c = writer;
        this.clock = clock;
        this.assigned = assigned;
        this.tails = tails;
        this.sequences = new TopicSequences(writer);
        this.chunks = new ChunkRows(writer);
        this.keys = new TopicKeyIndexes(chunks, keyHashKey[0], keyHashKey[1], maxKeyIndexes, maxKeyIndexEntries);
        this.conversations = new ConversationRows(writer);
        this.allTopics = c.prepareStatement("SELECT id, last_seq, name FROM topics");
        this.topicsOver = c.prepareStatement("SELECT id, last_seq, name FROM topics WHERE last_seq > ?");
        this.addSenderBytes = c.prepareStatement("INSERT INTO sender_bytes (sender, bytes) VALUES (?, ?)"
                + " ON CONFLICT (sender) DO UPDATE SET bytes = bytes + excluded.bytes");
        this.dropEmptySender = c.prepareStatement("DELETE FROM sender_bytes WHERE sender = ? AND bytes <= 0");
        this.transaction = c.createStatement();
    }

    /**
     * Starts the batch's transaction. Transactions are plain SQL (the connection stays in auto-commit
     * mode): SQLite itself rolls back a transaction a full disk broke, and the driver's own
     * bookkeeping would then be wrong.
     */
    void begin() throws SQLException {
        transaction.execute("BEGIN IMMEDIATE");
    }

    /**
     * The next entry of {@code topic}, or the one stored before under {@code key}. The key is looked up
     * before a sequence is taken, so a look-up that fails (a damaged chunk) refuses this write and leaves
     * the topic's sequences dense.
     */
    Appended append(String topic, byte[] payload, String key, String sender) throws SQLException {
        TopicSequences.Topic stored = sequences.existing(topic);
        TopicKeyIndexes.Keys topicKeys = stored == null ? null : keys.of(topic, stored.id);
        long hash = topicKeys == null ? 0 : topicKeys.hash(key);
        Envelope earlier = topicKeys == null ? null : topicKeys.find(key, hash);
        if (earlier != null) {
            return new Appended(earlier, false);
        }
        TopicSequences.Topic t = sequences.next(topic);
        if (topicKeys == null) { // a new topic: no keys stored
            topicKeys = keys.of(topic, t.id);
            hash = topicKeys.hash(key);
        }
        return new Appended(insert(t, topicKeys, hash, topic, payload, key, sender), true);
    }

    /**
     * The next entry of conversation {@code conversationId} if {@code sender} is a member as of this
     * batch, or the one stored before under {@code key}.
     *
     * @throws dev.parley.PermissionDeniedException the sender is not a member and the key is new (refuses this write only)
     */
    Appended appendToConversation(String conversationId, byte[] payload, String key, String sender) throws SQLException {
        String topic = Topics.conversation(conversationId);
        if (conversations.current(conversationId).map(c -> c.isMember(sender)).orElse(false)) {
            return append(topic, payload, key, sender);
        }
        return stored(topic, key).orElseThrow(() -> Membership.notAMember(sender, conversationId));
    }

    /**
     * Applies {@code change} at the conversation's next sequence (see
     * {@link dev.parley.node.store.NodeStore#changeConversation}); what it throws refuses this write only,
     * as nothing was written before it returned.
     */
    Optional<Appended> changeConversation(String conversationId, ConversationChange change, String key, String sender)
            throws SQLException {
        String topic = Topics.conversation(conversationId);
        Optional<Appended> earlier = stored(topic, key);
        if (earlier.isPresent()) {
            return earlier;
        }
        ConversationEntry current = conversations.current(conversationId)
                .orElseThrow(() -> Membership.notAMember(sender, conversationId));
        TopicSequences.Topic t = sequences.next(topic);
        Optional<ConversationChange.Outcome> outcome;
        try {
            outcome = change.apply(current, t.last);
        } catch (RuntimeException e) {
            sequences.giveBack(t);
            throw e;
        }
        if (outcome.isEmpty()) {
            sequences.giveBack(t);
            return Optional.empty();
        }
        for (ConversationChange.SideEntry side : outcome.get().alongside()) {
            append(side.topic(), side.payload(), side.idempotencyKey(), side.senderInboxId());
        }
        conversations.change(current, outcome.get().next());
        TopicKeyIndexes.Keys topicKeys = keys.of(topic, t.id); // resident: built by stored() above, or a new topic
        return Optional.of(new Appended(insert(t, topicKeys, topicKeys.hash(key), topic, outcome.get().payload(), key,
                sender), true));
    }

    /** Adds the entry at {@code t}'s sequence just assigned, its key of hash {@code hash} not stored on the topic. */
    private Envelope insert(TopicSequences.Topic t, TopicKeyIndexes.Keys topicKeys, long hash, String topic,
                            byte[] payload, String key, String sender) {
        Envelope envelope = new Envelope(topic, t.last, clock.nowNs(), payload, key, sender);
        chunks.add(t.id, envelope, hash);
        topicKeys.add(hash, t.last);
        assigned.accept(envelope);
        appended.add(envelope);
        byteChanges.merge(sender, (long) payload.length, Long::sum);
        return envelope;
    }

    /** The entry stored on {@code topic} under {@code key} (committed or of this batch). */
    private Optional<Appended> stored(String topic, String key) throws SQLException {
        TopicSequences.Topic t = sequences.existing(topic);
        if (t == null) {
            return Optional.empty();
        }
        TopicKeyIndexes.Keys topicKeys = keys.of(topic, t.id);
        return Optional.ofNullable(topicKeys.find(key, topicKeys.hash(key))).map(e -> new Appended(e, false));
    }

    /** @throws IllegalStateException a conversation with that id exists (refuses this write only) */
    Void putConversation(ConversationEntry conversation) throws SQLException {
        if (conversations.current(conversation.id()).isPresent()) {
            throw new IllegalStateException("conversation id collision " + conversation.id());
        }
        conversations.create(conversation);
        return null;
    }

    /** What a trim removed: how many entries, and their payload bytes per sender. */
    record Trimmed(long removed, Map<String, Long> freedBySender) {
    }

    /**
     * Removes entries stamped before {@code oldestKeptNs} and all but the newest {@code maxCount} of each
     * topic. Both are a prefix of each topic by sequence (the clock stamping entries only rises), so each
     * topic loses everything up to one sequence, found through the primary key: the last over the count,
     * or the last before the first entry young enough. A topic's retained entries stay one range. The
     * committed tails let go of the removed entries at once (before this transaction commits).
     */
    Trimmed trim(long oldestKeptNs, long maxCount) throws SQLException {
        sequences.flush(); // count from this batch's last sequences too
        chunks.flush(); // and trim this batch's entries too
        Map<Long, Long> lastRemoved = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        if (maxCount != Long.MAX_VALUE) {
            topicsOver.setLong(1, maxCount);
            try (ResultSet rs = topicsOver.executeQuery()) {
                while (rs.next()) {
                    lastRemoved.put(rs.getLong(1), rs.getLong(2) - maxCount);
                    names.put(rs.getLong(1), rs.getString(3));
                }
            }
        }
        if (oldestKeptNs != Long.MIN_VALUE) {
            Map<Long, Long> lastSequences = new HashMap<>();
            try (ResultSet rs = allTopics.executeQuery()) {
                while (rs.next()) {
                    lastSequences.put(rs.getLong(1), rs.getLong(2));
                    names.put(rs.getLong(1), rs.getString(3));
                }
            }
            for (Map.Entry<Long, Long> topic : lastSequences.entrySet()) {
                lastRemoved.merge(topic.getKey(), chunks.lastBefore(topic.getKey(), topic.getValue(), oldestKeptNs), Math::max);
            }
        }
        long[] removed = {0};
        Map<String, Long> freed = new HashMap<>();
        for (Map.Entry<Long, Long> topic : lastRemoved.entrySet()) {
            String name = names.get(topic.getKey());
            tails.trimmed(name, topic.getValue());
            trimmedTopics.merge(name, topic.getValue(), Math::max);
            TopicKeyIndexes.Keys resident = keys.ifResident(topic.getKey());
            chunks.trimTopic(topic.getKey(), topic.getValue(), gone -> {
                removed[0]++;
                freed.merge(gone.senderInboxId(), (long) gone.payload().length, Long::sum);
                if (resident != null) {
                    resident.removed(gone);
                }
            });
        }
        freed.forEach((sender, bytes) -> byteChanges.merge(sender, -bytes, Long::sum));
        return new Trimmed(removed[0], freed);
    }

    /** Writes this transaction's changes of the bytes per sender (one row each), dropping senders left with none. */
    private void writeSenderBytes() throws SQLException {
        for (Map.Entry<String, Long> change : byteChanges.entrySet()) {
            if (change.getValue() == 0) {
                continue;
            }
            addSenderBytes.setString(1, change.getKey());
            addSenderBytes.setLong(2, change.getValue());
            addSenderBytes.executeUpdate();
            if (change.getValue() < 0) {
                dropEmptySender.setString(1, change.getKey());
                dropEmptySender.executeUpdate();
            }
        }
        byteChanges.clear();
    }

    /** Adds the (sender, bytes) rows {@code query} gives to {@code totals}. */
    static void sumBySender(PreparedStatement query, Map<String, Long> totals) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                totals.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
    }

    /** How many topics' key indexes are in memory: for tests of their bound. */
    int residentKeyIndexes() {
        return keys.resident();
    }

    /** How many entries the resident key indexes hold: for tests of their bound. */
    long residentKeyIndexEntries() {
        return keys.residentEntries();
    }

    /** The writer connection, for tests that inject faults (e.g. {@code PRAGMA max_page_count}). */
    Connection connection() {
        return c;
    }

    /** Commits, and hands the new entries to the committed tails; returns them, in order. */
    List<Envelope> commit() throws SQLException {
        sequences.flush();
        chunks.flush();
        writeSenderBytes();
        transaction.execute("COMMIT");
        sequences.committed();
        keys.committed();
        conversations.committed();
        List<Envelope> done = List.copyOf(appended);
        appended.clear();
        tails.committed(done, trimmedTopics);
        trimmedTopics.clear();
        return done;
    }

    /**
     * Undoes everything since the last commit. The driver may have finalized a statement that
     * failed, so the writer closes this batch and prepares a new one.
     */
    void rollback() {
        appended.clear();
        byteChanges.clear();
        trimmedTopics.clear();
        sequences.forget();
        chunks.forget();
        keys.forget();
        conversations.forget();
        try {
            transaction.execute("ROLLBACK");
        } catch (SQLException e) {
            // none was open any more: SQLite rolled it back itself
        }
    }

    /** Closes the prepared statements (not the connection). */
    @Override
    public void close() {
        for (PreparedStatement s : List.of(allTopics, topicsOver, addSenderBytes, dropEmptySender)) {
            Sql.closeQuietly(s);
        }
        Sql.closeQuietly(transaction);
        sequences.close();
        chunks.close();
        conversations.close();
    }
}
