package dev.parley.core.conversation;

import dev.parley.internal.Topics;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

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
    private static final int MAX_SEQUENCE_TEXT = 20; // '#' and up to 19 digits

    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private final byte[] sequenceDigits = new byte[MAX_SEQUENCE_TEXT];
    private final byte[] hex = new byte[2 * ID_BYTES];
    private String lastTopic;
    private String lastId; // the last id made, of lastTopic and lastSequence
    private long lastSequence;
    // the last topic's UTF-8, then room for '#' and up to 19 digits: the digest reads it in one update
    private byte[] text = new byte[0];
    private int topicLength;

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

    /**
     * True when {@code id} is the very string this thread made last, of message {@code sequence} of
     * conversation {@code conversationId}'s topic: then {@link #of} gives it back from those two. False
     * otherwise, whether or not it is (no digest is computed here).
     */
    static boolean madeLast(String id, String conversationId, long sequence) {
        MessageIds ids = PER_THREAD.get();
        String topic = ids.lastTopic;
        int prefix = Topics.CONVERSATION.length();
        return id != null && id == ids.lastId && sequence == ids.lastSequence
                && topic.length() == prefix + conversationId.length() && topic.startsWith(Topics.CONVERSATION)
                && topic.regionMatches(prefix, conversationId, 0, conversationId.length());
    }

    private String id(String topic, long sequence) {
        if (!topic.equals(lastTopic)) {
            byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
            text = Arrays.copyOf(topicBytes, topicBytes.length + MAX_SEQUENCE_TEXT);
            topicLength = topicBytes.length;
            lastTopic = topic;
        }
        if (sequence >= 0) {
            sha256.update(text, 0, writeSequence(sequence));
        } else { // never from a node that keeps the protocol, but an id all the same
            sha256.update(text, 0, topicLength);
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
        String id = new String(hex, StandardCharsets.ISO_8859_1);
        lastId = id;
        lastSequence = sequence;
        return id;
    }

    /** Writes "#" and the decimal {@code sequence} (not negative) after the topic; returns where the text ends. */
    private int writeSequence(long sequence) {
        int at = sequenceDigits.length;
        long rest = sequence;
        do {
            sequenceDigits[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0);
        sequenceDigits[--at] = '#';
        int length = sequenceDigits.length - at;
        System.arraycopy(sequenceDigits, at, text, topicLength, length);
        return topicLength + length;
    }
}
