package dev.parley;

import dev.parley.internal.util.LengthPrefixed;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Who a client is, as far as a transport needs to know to authenticate a connection: the node sends
 * a challenge, the client answers with its public key and its signature of
 * {@link #challengeMessage(String, byte[], byte[])}. {@link Identity} is one; an application may
 * implement it to keep its key elsewhere (an HSM, a key store) and sign there: it signs the bytes
 * it is given, whatever they are.
 */
public interface Authenticator {
    /** Prefix signed before the challenge's fields, so a signature can never be replayed for another purpose. */
    byte[] CHALLENGE_CONTEXT = "parley-auth-v2:".getBytes(StandardCharsets.US_ASCII);

    String inboxId();

    /** Raw 32-byte Ed25519 public key. */
    byte[] publicKey();

    byte[] sign(byte[] message);

    /**
     * The bytes actually signed to answer a node's challenge: {@link #CHALLENGE_CONTEXT}, then the
     * node's name (UTF-8), the channel binding and the node's nonce, each preceded by its length
     * (4 bytes, big-endian), so no two different challenges give the same bytes. The node checks
     * the signature against its own name and its own view of the channel, so a signature relayed
     * to another node, or over another TLS connection, is refused.
     *
     * @param nodeName       the name the node sent in its challenge
     * @param channelBinding RFC 5929 {@code tls-server-end-point} of the TLS connection (the hash of
     *                       the node's certificate), empty without TLS
     * @param nonce          the node's random nonce
     */
    static byte[] challengeMessage(String nodeName, byte[] channelBinding, byte[] nonce) {
        return LengthPrefixed.encode(CHALLENGE_CONTEXT,
                Objects.requireNonNull(nodeName, "nodeName").getBytes(StandardCharsets.UTF_8),
                Objects.requireNonNull(channelBinding, "channelBinding"), Objects.requireNonNull(nonce, "nonce"));
    }
}
