package dev.parley;


import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 key pair that identifies an inbox. The inbox id is the hex form of the public key,
 * so the node can check a signature against the inbox it claims without any registry.
 * Keep {@link #privateKey()} secret; {@link #toString()} never shows it.
 */
public final class Identity implements Authenticator {
    private static final int KEY_BYTES = 32;
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] seed;
    private final byte[] publicKey;
    private final PrivateKey privateKey;
    private final String inboxId;

    private Identity(byte[] seed) {
        this.seed = seed.clone();
        KeyPair pair = deriveKeyPair(this.seed);
        this.privateKey = pair.getPrivate();
        byte[] encoded = pair.getPublic().getEncoded();
        this.publicKey = Arrays.copyOfRange(encoded, encoded.length - KEY_BYTES, encoded.length);
        this.inboxId = inboxIdOf(publicKey);
    }

    /** A new random identity. */
    public static Identity generate() {
        byte[] seed = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(seed);
        return new Identity(seed);
    }

    /** Restores an identity from the 32-byte private key returned by {@link #privateKey()}. */
    public static Identity fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 private key has exactly " + KEY_BYTES + " bytes");
        }
        return new Identity(privateKey);
    }

    /** The inbox id for a raw 32-byte Ed25519 public key. */
    public static String inboxIdOf(byte[] publicKey) {
        return HEX.formatHex(publicKey);
    }

    /** True when {@code signature} is {@code publicKey}'s Ed25519 signature of {@code message}; false for any malformed input. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_BYTES || message == null || signature == null) {
            return false;
        }
        try {
            byte[] encoded = new byte[X509_PREFIX.length + KEY_BYTES];
            System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
            System.arraycopy(publicKey, 0, encoded, X509_PREFIX.length, KEY_BYTES);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String inboxId() {
        return inboxId;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 32-byte private key (seed); store it safely to restore this identity later. */
    public byte[] privateKey() {
        return seed.clone();
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new ParleyException("Ed25519 signing failed", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity other && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "Identity[" + inboxId + "]";
    }

    /** The JDK derives the key pair from 32 random bytes; feeding it the seed makes that deterministic. */
    private static KeyPair deriveKeyPair(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new ParleyException("Ed25519 is not available in this JDK", e);
        }
    }

    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected key generation request of " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
