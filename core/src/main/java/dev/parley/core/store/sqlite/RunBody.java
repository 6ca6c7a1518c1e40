package dev.parley.core.store.sqlite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code content} of a run row (schema v6): the times and contents of a run's messages, one after
 * the other. Per message: its time as the difference to the one before (the first: to the row's
 * {@code sent_at_ns}), zigzag varint; its content's length plus one, varint (0: no content); the bytes.
 */
final class RunBody {
    /** One message of a run as read back. */
    record Part(long sentAtNs, byte[] content) {
    }

    private RunBody() {
    }

    /** The body of {@code rows} (consecutive sequences of one run), times relative to {@code rows.get(0)}. */
    static byte[] pack(List<MessageRow> rows) {
        int size = 0;
        long previous = rows.get(0).sentAtNs();
        for (MessageRow row : rows) {
            long length = length(row);
            size += varintSize(zigzag(row.sentAtNs() - previous)) + varintSize(length) + (int) Math.max(0, length - 1);
            previous = row.sentAtNs();
        }
        byte[] body = new byte[size];
        int at = 0;
        previous = rows.get(0).sentAtNs();
        for (MessageRow row : rows) {
            at = varint(body, at, zigzag(row.sentAtNs() - previous));
            previous = row.sentAtNs();
            at = varint(body, at, length(row));
            if (row.content() != null) {
                System.arraycopy(row.content(), 0, body, at, row.content().length);
                at += row.content().length;
            }
        }
        return body;
    }

    /** What {@code row} adds to a body at most (its time as a full varint). */
    static int size(MessageRow row) {
        long length = length(row);
        return 10 + varintSize(length) + (int) Math.max(0, length - 1);
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    /** The content's length plus one; 0 without content. */
    private static long length(MessageRow row) {
        return row.content() == null ? 0 : row.content().length + 1L;
    }

    private static int varintSize(long value) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    }

    private static int varint(byte[] out, int at, long value) {
        int next = at;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out[next++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[next++] = (byte) v;
        return next;
    }

    /** The {@code count} messages of {@code body}, the first sent at {@code firstSentAtNs}. */
    static List<Part> unpack(byte[] body, int count, long firstSentAtNs) {
        List<Part> parts = new ArrayList<>(count);
        int[] at = {0};
        long time = firstSentAtNs;
        for (int i = 0; i < count; i++) {
            long zigzag = varint(body, at);
            time += (zigzag >>> 1) ^ -(zigzag & 1);
            int length = (int) varint(body, at);
            byte[] content = null;
            if (length > 0) {
                content = Arrays.copyOfRange(body, at[0], at[0] + length - 1);
                at[0] += length - 1;
            }
            parts.add(new Part(time, content));
        }
        if (at[0] != body.length) {
            throw new IllegalStateException("a run of " + count + " messages has " + (body.length - at[0])
                    + " bytes left over");
        }
        return parts;
    }

    private static long varint(byte[] in, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalStateException("a varint of more than 64 bits in a run");
    }
}
