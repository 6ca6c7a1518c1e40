package dev.parley.core.conversation;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Idempotency keys: 16 bytes from a cryptographically strong generator, in lower-case hexadecimal (32
 * characters). A key names a write on its topic for everyone who writes there, so it must be
 * unpredictable as well as unique: a member who could guess another's next key could make the node take
 * its own message for theirs. Made on every send, so cheaply: each thread takes its random bytes
 * {@value #KEYS_PER_DRAW} keys at a time from one shared DRBG (one lock and one generator call per draw,
 * instead of a read of the system's generator under a global lock per key).
 */
final class IdempotencyKeys {
    private static final int KEY_BYTES = 16;
    private static final int KEYS_PER_DRAW = 64;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = strongGenerator();
    private static final ThreadLocal<IdempotencyKeys> PER_THREAD = ThreadLocal.withInitial(IdempotencyKeys::new);

    private final byte[] drawn = new byte[KEY_BYTES * KEYS_PER_DRAW];
    private int next = drawn.length; // nothing drawn yet

    private IdempotencyKeys() {
    }

    /** A new key. */
    static String next() {
        return PER_THREAD.get().key();
    }

    private String key() {
        if (next == drawn.length) {
            RANDOM.nextBytes(drawn);
            next = 0;
        }
        String key = HEX.formatHex(drawn, next, next + KEY_BYTES);
        next += KEY_BYTES;
        return key;
    }

    private static SecureRandom strongGenerator() {
        try {
            return SecureRandom.getInstance("DRBG"); // NIST SP 800-90A, seeded from the system's entropy
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
