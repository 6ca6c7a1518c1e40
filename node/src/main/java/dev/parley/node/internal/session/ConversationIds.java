package dev.parley.node.internal.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Conversation ids: 16 bytes in hexadecimal, random, or derived from the creator and its idempotency
 * key (so every node sharing a store gives the same request the same id).
 */
final class ConversationIds {
    private static final int BYTES = 16;

    private ConversationIds() {
    }

    static String random(SecureRandom random) {
        byte[] id = new byte[BYTES];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** The first 16 bytes of SHA-256 over the creator's inbox id and the key, length-prefixed. */
    static String of(String creatorInboxId, String idempotencyKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, "parley-conversation-v1");
            update(sha, creatorInboxId);
            update(sha, idempotencyKey);
            return HexFormat.of().formatHex(sha.digest(), 0, BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static void update(MessageDigest sha, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
