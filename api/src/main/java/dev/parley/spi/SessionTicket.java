package dev.parley.spi;

import dev.parley.internal.util.LengthPrefixed;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * A node's permission to authenticate a next connection as the same inbox without a signature (session
 * resumption): the node's opaque {@code ticket} and the per-session {@code secret} the client proves it
 * holds, with an HMAC over the connection's channel binding and fresh nonces ({@link #proof}). The secret
 * never travels again after the node handed it out. Valid {@link #lifetime()} from issue, on the issuing
 * node process only; a refused ticket costs the client a full authentication, nothing more.
 *
 * @param ticket   opaque to the client; sent back as it is
 * @param secret   the key of the proof; keep it as private as the connection it came over
 * @param lifetime how long after issue the node accepts the ticket
 */
public record SessionTicket(byte[] ticket, byte[] secret, Duration lifetime) {
    /** Prefix of every proof, so a proof can never serve another purpose. */
    public static final byte[] PROOF_CONTEXT = "parley-resume-v1:".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of a client nonce. */
    public static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HMAC = "HmacSHA256";

    public SessionTicket {
        ticket = Objects.requireNonNull(ticket, "ticket").clone();
        secret = Objects.requireNonNull(secret, "secret").clone();
        Objects.requireNonNull(lifetime, "lifetime");
    }

    /** A copy of the opaque ticket. */
    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    /** A copy of the secret. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** This ticket's proof for a connection: see {@link #proof(byte[], byte[], byte[], byte[])}. */
    public byte[] proof(byte[] channelBinding, byte[] challengeNonce, byte[] clientNonce) {
        return proof(secret, channelBinding, challengeNonce, clientNonce);
    }

    /**
     * HMAC-SHA256 keyed with {@code secret} over {@link #PROOF_CONTEXT}, then the channel binding (RFC 5929
     * {@code tls-server-end-point} as the client sees it, empty without TLS), the node's challenge nonce (empty
     * when resuming in the first frame) and the client's nonce, each length-prefixed.
     */
    public static byte[] proof(byte[] secret, byte[] channelBinding, byte[] challengeNonce, byte[] clientNonce) {
        return hmac(secret, LengthPrefixed.encode(PROOF_CONTEXT, channelBinding, challengeNonce, clientNonce));
    }

    /** True when {@code proof} is {@link #proof} of these inputs; compared in constant time. */
    public static boolean verifyProof(byte[] secret, byte[] channelBinding, byte[] challengeNonce, byte[] clientNonce,
                                      byte[] proof) {
        return MessageDigest.isEqual(proof(secret, channelBinding, challengeNonce, clientNonce), proof);
    }

    /** A fresh random client nonce of {@value #NONCE_BYTES} bytes. */
    public static byte[] newNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** HMAC-SHA256 of {@code message} keyed with {@code key}. */
    public static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
