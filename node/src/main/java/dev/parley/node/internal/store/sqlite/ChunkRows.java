package dev.parley.node.internal.store.sqlite;

import dev.parley.spi.Envelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The writer's side of table {@code chunks}: the open transaction's new entries, held per topic in
 * memory and written at {@link #flush} as one chunk per topic (split at {@value #MAX_ENTRIES} entries or
 * about {@value #MAX_BODY} bytes), and the reads and deletions the writer makes of stored chunks (an
 * entry by sequence, a topic's key hashes, a topic's prefix trim). Only the writer thread uses it.
 */
final class ChunkRows implements AutoCloseable {
    static final int MAX_ENTRIES = 512;
    static final int MAX_BODY = 64 * 1024;

    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final PreparedStatement insert;
    private final PreparedStatement containing;
    private final PreparedStatement hashes;
    private final PreparedStatement firstChunk;
    private final PreparedStatement firstYoungChunk;
    private final PreparedStatement delete;

    /** A topic's entries of the open transaction not yet written: consecutive sequences. */
    private static final class Pending {
        final List<Envelope> entries = new ArrayList<>();
        int[] hashes = new int[16];

        void add(Envelope entry, long hash) {
            if (entries.size() == hashes.length) {
                hashes = Arrays.copyOf(hashes, 2 * hashes.length);
            }
            hashes[entries.size()] = (int) (hash >>> 32);
            entries.add(entry);
        }

        Envelope at(long sequence) {
            long first = entries.get(0).sequence();
            return sequence >= first && sequence - first < entries.size() ? entries.get((int) (sequence - first)) : null;
        }
    }

    /** Receives a topic's stored key hashes in sequence order. */
    interface HashSink {
        void accept(long hash, long sequence);
    }

    ChunkRows(Connection writer) throws SQLException {
        this.insert = writer.prepareStatement("INSERT INTO chunks (topic, first_seq, last_seq, last_ts, key_hashes, body)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        this.containing = writer.prepareStatement("SELECT first_seq, last_seq, body FROM chunks"
                + " WHERE topic = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1");
        this.hashes = writer.prepareStatement("SELECT first_seq, last_seq, key_hashes FROM chunks WHERE topic = ?"
                + " ORDER BY first_seq");
        this.firstChunk = writer.prepareStatement("SELECT first_seq, last_seq, key_hashes, body FROM chunks"
                + " WHERE topic = ? ORDER BY first_seq LIMIT 1");
        // through the primary key, in sequence order, stopping at the first chunk with an entry young enough
        this.firstYoungChunk = writer.prepareStatement("SELECT first_seq, last_seq, body FROM chunks"
                + " WHERE topic = ? AND last_ts >= ? ORDER BY first_seq LIMIT 1");
        this.delete = writer.prepareStatement("DELETE FROM chunks WHERE topic = ? AND first_seq = ?");
    }

    /** Adds a new entry of topic {@code topicId} (the next sequence after its last one), its key's hash {@code hash}. */
    void add(long topicId, Envelope entry, long hash) {
        pending.computeIfAbsent(topicId, id -> new Pending()).add(entry, hash);
    }

    /** The entry of {@code topic} (id {@code topicId}) at {@code sequence}, of this transaction or stored. */
    Envelope entryAt(String topic, long topicId, long sequence) throws SQLException {
        Pending p = pending.get(topicId);
        Envelope found = p == null ? null : p.at(sequence);
        if (found != null) {
            return found;
        }
        containing.setLong(1, topicId);
        containing.setLong(2, sequence);
        try (ResultSet rs = containing.executeQuery()) {
            if (rs.next() && rs.getLong(2) >= sequence) {
                return ChunkCodec.decode(topic, rs.getLong(1), rs.getLong(2), rs.getBytes(3), sequence, 1).get(0);
            }
        }
        throw new SQLException("no entry " + sequence + " of " + topic + " although its key is indexed");
    }

    /** Gives {@code sink} the stored key hashes of topic {@code topicId}; returns its first stored sequence (or none: MAX_VALUE). */
    long storedHashes(long topicId, HashSink sink) throws SQLException {
        long first = Long.MAX_VALUE;
        String topic = "#" + topicId;
        hashes.setLong(1, topicId);
        try (ResultSet rs = hashes.executeQuery()) {
            while (rs.next()) {
                long from = rs.getLong(1);
                long to = rs.getLong(2);
                first = Math.min(first, from);
                long[] stored = ChunkCodec.hashes(rs.getBytes(3), topic, from, to);
                for (int i = 0; i < stored.length; i++) {
                    sink.accept(stored[i], from + i);
                }
            }
        }
        return first;
    }

    /** Writes the open transaction's new entries, one chunk per topic (or a few, when many or large). */
    void flush() throws SQLException {
        for (Map.Entry<Long, Pending> topic : pending.entrySet()) {
            List<Envelope> entries = topic.getValue().entries;
            int from = 0;
            int bytes = 0;
            for (int i = 0; i < entries.size(); i++) {
                int size = ChunkCodec.bodySize(entries.get(i));
                if (i > from && (i - from == MAX_ENTRIES || bytes + size > MAX_BODY)) {
                    write(topic.getKey(), entries, topic.getValue().hashes, from, i);
                    from = i;
                    bytes = 0;
                }
                bytes += size;
            }
            write(topic.getKey(), entries, topic.getValue().hashes, from, entries.size());
        }
        pending.clear();
    }

    /** The open transaction was rolled back: its entries are gone. */
    void forget() {
        pending.clear();
    }

    private void write(long topicId, List<Envelope> entries, int[] keyHashes, int from, int to) throws SQLException {
        insert.setLong(1, topicId);
        insert.setLong(2, entries.get(from).sequence());
        insert.setLong(3, entries.get(to - 1).sequence());
        insert.setLong(4, entries.get(to - 1).timestampNs());
        insert.setBytes(5, ChunkCodec.keyHashes(keyHashes, from, to));
        insert.setBytes(6, ChunkCodec.body(entries, from, to));
        insert.executeUpdate();
    }

    /**
     * The last sequence of topic {@code topicId} stamped before {@code oldestKeptNs}: the one before the
     * first entry young enough, in the first chunk whose last entry is; {@code last} when there is none.
     */
    long lastBefore(long topicId, long last, long oldestKeptNs) throws SQLException {
        firstYoungChunk.setLong(1, topicId);
        firstYoungChunk.setLong(2, oldestKeptNs);
        try (ResultSet rs = firstYoungChunk.executeQuery()) {
            if (!rs.next()) {
                return last;
            }
            for (Envelope e : ChunkCodec.decode("#" + topicId, rs.getLong(1), rs.getLong(2), rs.getBytes(3))) {
                if (e.timestampNs() >= oldestKeptNs) {
                    return e.sequence() - 1;
                }
            }
            return rs.getLong(2);
        }
    }

    /**
     * Deletes topic {@code topicId}'s entries up to {@code lastRemoved}: whole chunks, and the chunk holding
     * {@code lastRemoved} rewritten with the entries after it. Each removed entry goes to {@code removed}
     * (its topic named {@code #id}). Needs the open transaction's entries flushed.
     */
    void trimTopic(long topicId, long lastRemoved, Consumer<Envelope> removed) throws SQLException {
        while (true) {
            long from;
            long to;
            byte[] keyHashes;
            byte[] body;
            firstChunk.setLong(1, topicId);
            try (ResultSet rs = firstChunk.executeQuery()) {
                if (!rs.next() || rs.getLong(1) > lastRemoved) {
                    return;
                }
                from = rs.getLong(1);
                to = rs.getLong(2);
                keyHashes = rs.getBytes(3);
                body = rs.getBytes(4);
            }
            List<Envelope> entries = ChunkCodec.decode("#" + topicId, from, to, body);
            delete.setLong(1, topicId);
            delete.setLong(2, from);
            delete.executeUpdate();
            int kept = (int) Math.max(0, to - lastRemoved);
            entries.subList(0, entries.size() - kept).forEach(removed);
            if (kept > 0) {
                long[] hashes = ChunkCodec.hashes(keyHashes, "#" + topicId, from, to);
                int[] tags = new int[entries.size()];
                for (int i = 0; i < tags.length; i++) {
                    tags[i] = (int) (hashes[i] >>> 32);
                }
                write(topicId, entries, tags, entries.size() - kept, entries.size());
                return;
            }
        }
    }

    @Override
    public void close() {
        for (PreparedStatement s : List.of(insert, containing, hashes, firstChunk, firstYoungChunk, delete)) {
            Sql.closeQuietly(s);
        }
    }
}
