package dev.parley.node.internal.store.sqlite;

import dev.parley.node.internal.store.IdempotencyIndex;
import dev.parley.spi.Envelope;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The idempotency keys of the retained entries, per topic, in memory on the writer thread: an
 * {@link IdempotencyIndex} per topic (slots of key hash and sequence; a hash match is confirmed
 * against the key stored at that sequence, in the open transaction or in its chunk), so the database
 * needs no index by key. A topic's index is built when the writer first needs it (from the chunks'
 * key-hash column: no payload is read) and the least recently used ones are dropped, after a commit,
 * beyond {@code maxResident} topics. The hashes are SipHash under the database's secret hash key
 * (table {@code meta}), the same key the stored hashes were made with. An index the open transaction
 * changed (appends, trims) is dropped when the transaction rolls back, and built again from what is
 * stored. Only the writer thread uses it.
 *
 * <p>Besides the topics, the entries indexed are bounded ({@code maxEntries}): a topic's index costs 16-32
 * bytes per retained entry, so a bound on topics alone let a few very large topics hold any amount of memory.
 * After a commit the least recently used indexes are dropped while either bound is exceeded, except the most
 * recently used one (a topic larger than the bound on its own keeps its index rather than rebuilding it for
 * every write).
 */
final class TopicKeyIndexes {
    private final ChunkRows chunks;
    private final long k0;
    private final long k1;
    private final int maxResident;
    private final long maxEntries;
    /** Entries indexed by the resident indexes together. */
    private long entries;
    private final LinkedHashMap<Long, Keys> resident = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Long> touched = new HashSet<>();

    /** One topic's index. */
    final class Keys implements IdempotencyIndex.Entries {
        private final String topic;
        private final long topicId;
        private final IdempotencyIndex index;
        private long first = Long.MAX_VALUE;

        private Keys(String topic, long topicId) {
            this.topic = topic;
            this.topicId = topicId;
            this.index = new IdempotencyIndex(this, k0, k1);
        }

        long hash(String key) {
            return index.hash(key);
        }

        /** The entry stored (or added by the open transaction) under {@code key}, of hash {@code hash}; null if none. */
        Envelope find(String key, long hash) throws SQLException {
            long sequence;
            try {
                sequence = index.find(key, hash);
            } catch (UncheckedSql e) {
                throw e.getCause();
            }
            return sequence == IdempotencyIndex.NONE ? null : chunks.entryAt(topic, topicId, sequence);
        }

        /** Indexes a new entry of the open transaction. */
        void add(long hash, long sequence) {
            touched.add(topicId);
            first = Math.min(first, sequence);
            index.add(hash, sequence);
            entries++;
        }

        /** Forgets a trimmed entry; every entry up to its sequence is gone. */
        void removed(Envelope entry) {
            touched.add(topicId);
            int before = index.size();
            index.remove(entry.idempotencyKey(), entry.sequence());
            entries -= before - index.size();
            first = Math.max(first == Long.MAX_VALUE ? 0 : first, entry.sequence() + 1);
        }

        @Override
        public long firstSequence() {
            return first;
        }

        @Override
        public String keyAt(long sequence) {
            try {
                return chunks.entryAt(topic, topicId, sequence).idempotencyKey();
            } catch (SQLException e) {
                throw new UncheckedSql(e);
            }
        }
    }

    /**
     * {@code k0, k1}: the database's key of the stored hashes; after a commit at most {@code maxResident}
     * topics' indexes of at most {@code maxEntries} entries together stay (see the class comment).
     */
    TopicKeyIndexes(ChunkRows chunks, long k0, long k1, int maxResident, long maxEntries) {
        this.chunks = chunks;
        this.k0 = k0;
        this.k1 = k1;
        this.maxResident = maxResident;
        this.maxEntries = maxEntries;
    }

    /** The index of {@code topic} (id {@code topicId}), built from its stored key hashes if not resident. */
    Keys of(String topic, long topicId) throws SQLException {
        Keys keys = resident.get(topicId);
        if (keys == null) {
            Keys built = new Keys(topic, topicId);
            built.first = chunks.storedHashes(topicId, built.index::add);
            keys = built;
            resident.put(topicId, keys);
            entries += built.index.size();
        }
        return keys;
    }

    /** The index of topic {@code topicId} if resident, else null (a trim needs to update only a resident one). */
    Keys ifResident(long topicId) {
        return resident.get(topicId);
    }

    /** The open transaction committed: drops the least recently used indexes beyond the bounds, keeping the last used. */
    void committed() {
        touched.clear();
        Iterator<Map.Entry<Long, Keys>> eldest = resident.entrySet().iterator();
        while ((resident.size() > maxResident || entries > maxEntries) && resident.size() > 1) {
            entries -= eldest.next().getValue().index.size();
            eldest.remove();
        }
    }

    /** The open transaction was rolled back: the indexes it changed are dropped, to be built again from the file. */
    void forget() {
        for (Long topicId : touched) {
            Keys dropped = resident.remove(topicId);
            if (dropped != null) {
                entries -= dropped.index.size();
            }
        }
        touched.clear();
    }

    /** How many topics' indexes are in memory: for tests. */
    int resident() {
        return resident.size();
    }

    /** How many entries the resident indexes hold together: for tests. */
    long residentEntries() {
        return entries;
    }

    /** Carries a read's failure out of {@link IdempotencyIndex.Entries#keyAt}. */
    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
