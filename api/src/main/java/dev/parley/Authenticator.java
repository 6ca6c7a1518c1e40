package dev.parley;

/**
 * Who a client is, as far as a transport needs to know to authenticate a connection: the node sends
 * a challenge, the client answers with its public key and its signature of the challenge.
 * {@link Identity} is one; an application may implement it to keep its key elsewhere (an HSM, a
 * key store) and sign there.
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
