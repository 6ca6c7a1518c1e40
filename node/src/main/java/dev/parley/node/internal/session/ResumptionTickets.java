package dev.parley.node.internal.session;

import dev.parley.AuthenticationException;
import dev.parley.internal.util.LengthPrefixed;
import dev.parley.spi.SessionTicket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Issues and checks session-resumption tickets with a key that exists only in this node process, so a
 * restart invalidates every ticket and another node (another key) refuses them. Stateless: a ticket
 * carries its issue time, the time its chain was last authenticated with a signature and the public key,
 * MACed together with the node's name, epoch and the channel binding of the connection it was issued on;
 * its secret is derived from the ticket with the same key.
 *
 * <p>Lifetime {@link #LIFETIME}: long enough to cover the reconnects of a network blip or a node's
 * restart of its transports (the node hands a live connection a fresh ticket every half lifetime, so
 * a client holds one valid for at least half of it when its connection drops), short enough that a
 * ticket a client lost bounds the harm. A chain of resumptions needs a signature again after
 * {@link #SIGNATURE_VALIDITY}, so that a stolen secret cannot be refreshed forever.
 */
final class ResumptionTickets {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final Duration SIGNATURE_VALIDITY = Duration.ofHours(1);
    private static final byte VERSION = 1;
    private static final int PUBLIC_KEY_BYTES = 32;
    private static final int BODY_BYTES = 1 + Long.BYTES + Long.BYTES + PUBLIC_KEY_BYTES;
    private static final int MAC_BYTES = 32;
    private static final int MAX_NONCE_BYTES = 64;
    private static final byte[] TICKET_CONTEXT = "parley-ticket-v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET_CONTEXT = "parley-ticket-secret-v1:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key = new byte[32];
    private final LongSupplier nanoTime;

    /** @param nanoTime this process's monotonic clock (tests move their own) */
    ResumptionTickets(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        new SecureRandom().nextBytes(key);
    }

    /** What a resumption proved: the inbox's key and when its chain was last signed for. */
    record Resumed(byte[] publicKey, long signedAtNanos) {
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** A ticket for {@code publicKey} on a connection to this node (its name, epoch and channel binding). */
    SessionTicket issue(String nodeName, String epoch, byte[] channelBinding, byte[] publicKey, long signedAtNanos) {
        byte[] body = ByteBuffer.allocate(BODY_BYTES).put(VERSION).putLong(now()).putLong(signedAtNanos)
                .put(publicKey).array();
        byte[] ticket = ByteBuffer.allocate(BODY_BYTES + MAC_BYTES).put(body)
                .put(mac(nodeName, epoch, channelBinding, body)).array();
        return new SessionTicket(ticket, secretOf(ticket), LIFETIME);
    }

    /**
     * Checks a ticket and the proof of its secret for a connection to this node.
     *
     * @throws AuthenticationException saying why the ticket is refused
     */
    Resumed verify(String nodeName, String epoch, byte[] channelBinding, byte[] ticket, byte[] challengeNonce,
                   byte[] clientNonce, byte[] proof) {
        if (ticket.length != BODY_BYTES + MAC_BYTES || ticket[0] != VERSION) {
            throw new AuthenticationException("not a resumption ticket of this node");
        }
        ByteBuffer read = ByteBuffer.wrap(ticket);
        byte[] body = new byte[BODY_BYTES];
        byte[] mac = new byte[MAC_BYTES];
        read.get(body).get(mac);
        if (!MessageDigest.isEqual(mac(nodeName, epoch, channelBinding, body), mac)) {
            throw new AuthenticationException("resumption ticket not issued by this node process for this epoch"
                    + " and channel (another node, a restarted node, or forged)");
        }
        ByteBuffer fields = ByteBuffer.wrap(body, 1, BODY_BYTES - 1);
        long issuedAt = fields.getLong();
        long signedAt = fields.getLong();
        byte[] publicKey = new byte[PUBLIC_KEY_BYTES];
        fields.get(publicKey);
        long now = now();
        if (now - issuedAt >= LIFETIME.toNanos()) {
            throw new AuthenticationException("resumption ticket expired (lifetime " + LIFETIME + ")");
        }
        if (now - signedAt >= SIGNATURE_VALIDITY.toNanos()) {
            throw new AuthenticationException("resumption chain older than " + SIGNATURE_VALIDITY
                    + " since the last signature; sign again");
        }
        if (clientNonce.length < SessionTicket.NONCE_BYTES || clientNonce.length > MAX_NONCE_BYTES) {
            throw new AuthenticationException("resumption nonce must have " + SessionTicket.NONCE_BYTES + " to "
                    + MAX_NONCE_BYTES + " bytes");
        }
        if (!SessionTicket.verifyProof(secretOf(ticket), channelBinding, challengeNonce, clientNonce, proof)) {
            throw new AuthenticationException("resumption proof does not match the ticket's secret and this connection");
        }
        return new Resumed(publicKey, signedAt);
    }

    private byte[] mac(String nodeName, String epoch, byte[] channelBinding, byte[] body) {
        return SessionTicket.hmac(key, LengthPrefixed.encode(TICKET_CONTEXT, nodeName.getBytes(StandardCharsets.UTF_8),
                epoch.getBytes(StandardCharsets.UTF_8), channelBinding, body));
    }

    private byte[] secretOf(byte[] ticket) {
        return SessionTicket.hmac(key, LengthPrefixed.encode(SECRET_CONTEXT, ticket));
    }
}
