package dev.parley.core.conversation;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Message ids: the first 16 bytes, in hexadecimal, of SHA-256 over the UTF-8 of
 * {@code topic + "#" + sequence}, so every client names a message the same. Computed for every
 * message a client sends or receives, so without building that string: each thread keeps its digest,
 * the bytes of the last topic it saw (runs of one conversation are the common case) and a buffer.
 */
final class MessageIds {
    private static final ThreadLocal<MessageIds> PER_THREAD = ThreadLocal.withInitial(MessageIds::new);
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int ID_BYTES = 16;

    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private final byte[] sequenceDigits = new byte[20]; // '#' and up to 19 digits
    private final byte[] hex = new byte[2 * ID_BYTES];
    private String lastTopic;
    private byte[] lastTopicBytes;

    private MessageIds() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    static String of(String topic, long sequence) {
        return PER_THREAD.get().id(topic, sequence);
    }

    private String id(String topic, long sequence) {
        if (!topic.equals(lastTopic)) {
            lastTopicBytes = topic.getBytes(StandardCharsets.UTF_8);
            lastTopic = topic;
        }
        sha256.update(lastTopicBytes);
        if (sequence >= 0) {
            int from = writeSequence(sequence);
            sha256.update(sequenceDigits, from, sequenceDigits.length - from);
        } else { // never from a node that keeps the protocol, but an id all the same
            sha256.update(("#" + sequence).getBytes(StandardCharsets.US_ASCII));
        }
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < ID_BYTES; i++) { // HexFormat's lower case, without its StringBuilder and second copy
            hex[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX_DIGITS[digest[i] & 0xf];
        }
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    /** Writes "#" and the decimal {@code sequence} (not negative) at the end of the buffer; returns where they start. */
    private int writeSequence(long sequence) {
        int at = sequenceDigits.length;
        long rest = sequence;
        do {
            sequenceDigits[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0);
        sequenceDigits[--at] = '#';
        return at;
    }
}
