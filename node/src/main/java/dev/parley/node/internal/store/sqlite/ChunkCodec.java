package dev.parley.node.internal.store.sqlite;

import dev.parley.node.store.StoreException;
import dev.parley.spi.Envelope;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a chunk: consecutive entries of one topic stored as one row of table {@code chunks}.
 * The body is a format byte ({@value #FORMAT}), the entry count, per entry its timestamp, sender,
 * idempotency key (UTF-8, length-prefixed) and payload (length-prefixed), then a CRC-32C of all that;
 * sequences are the row's {@code first_seq} onwards, one per entry. The key hashes are a separate
 * column, 4 bytes per entry (the high 32 bits of {@link dev.parley.node.internal.store.IdempotencyIndex#hash}),
 * so rebuilding a topic's key index never reads payloads. A body or hash column that does not check
 * out (format, checksum, count, lengths) is a {@link StoreException}, never a wrong entry.
 */
final class ChunkCodec {
    static final byte FORMAT = 1;
    private static final int HEADER = 1 + 4;
    private static final int CHECKSUM = 4;

    private ChunkCodec() {
    }

    /** The body of {@code entries[from, to)}. */
    static byte[] body(List<Envelope> entries, int from, int to) {
        byte[][] strings = new byte[2 * (to - from)][];
        int size = HEADER + CHECKSUM;
        String lastSender = null;
        byte[] sender = null;
        for (int i = from; i < to; i++) {
            Envelope e = entries.get(i);
            if (!e.senderInboxId().equals(lastSender)) { // a chunk's entries mostly have one sender: encode it once
                lastSender = e.senderInboxId();
                sender = lastSender.getBytes(StandardCharsets.UTF_8);
            }
            strings[2 * (i - from)] = sender;
            byte[] key = strings[2 * (i - from) + 1] = e.idempotencyKey().getBytes(StandardCharsets.UTF_8);
            size += 8 + 12 + sender.length + key.length + e.payload().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT).putInt(to - from);
        for (int i = from; i < to; i++) {
            out.putLong(entries.get(i).timestampNs());
            putBytes(out, strings[2 * (i - from)]);
            putBytes(out, strings[2 * (i - from) + 1]);
            putBytes(out, entries.get(i).payload());
        }
        out.putInt(checksum(out.array(), size - CHECKSUM));
        return out.array();
    }

    /** The bytes {@code entry} takes in a body (an upper bound: strings counted at 3 bytes per char). */
    static int bodySize(Envelope entry) {
        return 8 + 12 + 3 * (entry.senderInboxId().length() + entry.idempotencyKey().length()) + entry.payload().length;
    }

    /** The key-hash column of {@code hashes[from, to)}. */
    static byte[] keyHashes(int[] hashes, int from, int to) {
        ByteBuffer out = ByteBuffer.allocate(4 * (to - from));
        for (int i = from; i < to; i++) {
            out.putInt(hashes[i]);
        }
        return out.array();
    }

    /**
     * The key hashes of a chunk of {@code topic} holding sequences {@code first..last}, each as
     * {@code IdempotencyIndex.hash} gives it.
     */
    static long[] hashes(byte[] column, String topic, long first, long last) {
        int count = (int) (last - first + 1);
        if (column == null || column.length != 4L * count) {
            throw damaged(topic, first, last, "key hashes of " + (column == null ? 0 : column.length) + " bytes for "
                    + count + " entries");
        }
        ByteBuffer in = ByteBuffer.wrap(column);
        long[] hashes = new long[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = (long) in.getInt() << 32;
            if (hashes[i] == 0) {
                throw damaged(topic, first, last, "a key hash of zero");
            }
        }
        return hashes;
    }

    /** All entries of a chunk of {@code topic} holding sequences {@code first..last}. */
    static List<Envelope> decode(String topic, long first, long last, byte[] body) {
        return decode(topic, first, last, body, first, Integer.MAX_VALUE);
    }

    /**
     * Up to {@code limit} entries from sequence {@code from} on of a chunk of {@code topic} holding
     * {@code first..last} (entries before {@code from} are skipped without copying them).
     *
     * @throws StoreException the body is damaged or does not hold {@code first..last}
     */
    static List<Envelope> decode(String topic, long first, long last, byte[] body, long from, int limit) {
        long count = last - first + 1;
        if (body == null || body.length < HEADER + CHECKSUM || count < 1 || count > body.length) {
            throw damaged(topic, first, last, "a body of " + (body == null ? 0 : body.length) + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(body, 0, body.length - CHECKSUM);
        if (in.get() != FORMAT) {
            throw damaged(topic, first, last, "format " + body[0]);
        }
        if (ByteBuffer.wrap(body, body.length - CHECKSUM, CHECKSUM).getInt() != checksum(body, body.length - CHECKSUM)) {
            throw damaged(topic, first, last, "a wrong checksum");
        }
        int stored = in.getInt();
        if (stored != count) {
            throw damaged(topic, first, last, stored + " entries, not " + count);
        }
        List<Envelope> entries = new ArrayList<>((int) Math.min(limit, count));
        try {
            for (long seq = first; seq <= last && entries.size() < limit; seq++) {
                long ts = in.getLong();
                if (seq < from) {
                    skip(in);
                    skip(in);
                    skip(in);
                    continue;
                }
                String sender = new String(bytes(in), StandardCharsets.UTF_8);
                String key = new String(bytes(in), StandardCharsets.UTF_8);
                entries.add(new Envelope(topic, seq, ts, bytes(in), key, sender));
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw damaged(topic, first, last, "entries longer than the body");
        }
        if (entries.size() < limit && in.hasRemaining()) {
            throw damaged(topic, first, last, in.remaining() + " bytes after the last entry");
        }
        return entries;
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static void skip(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length);
        }
        in.position(in.position() + length);
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    /** Names the chunk only here: reads and index builds decode chunks on their hot paths, and mostly nothing is damaged. */
    private static StoreException damaged(String topic, long first, long last, String what) {
        return new StoreException("damaged chunk of topic " + topic + " sequences " + first + ".." + last
                + " in the node database: " + what
                + "; restore the database from a backup");
    }
}
