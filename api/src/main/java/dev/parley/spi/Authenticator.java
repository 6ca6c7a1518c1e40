package dev.parley.spi;

/**
 * What a transport needs to authenticate a connection: the node sends a challenge, the client
 * answers with its public key and its signature of the challenge. {@link dev.parley.Identity} is one.
 */
public interface Authenticator {
    /** Prefix signed before the node's nonce, so a signature can never be replayed for another purpose. */
    byte[] CHALLENGE_CONTEXT = "parley-auth-v1:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    String inboxId();

    /** Raw 32-byte Ed25519 public key. */
    byte[] publicKey();

    byte[] sign(byte[] message);

    /** The bytes actually signed for a node nonce. */
    static byte[] challengeMessage(byte[] nonce) {
        byte[] message = new byte[CHALLENGE_CONTEXT.length + nonce.length];
        System.arraycopy(CHALLENGE_CONTEXT, 0, message, 0, CHALLENGE_CONTEXT.length);
        System.arraycopy(nonce, 0, message, CHALLENGE_CONTEXT.length, nonce.length);
        return message;
    }
}
