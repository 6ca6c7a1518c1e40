package dev.parley.transport;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Channel bindings (RFC 5929 {@code tls-server-end-point}): the hash of the node's TLS certificate,
 * which the client (the certificate it was shown) and the node (the one it showed) both know. A TLS
 * exporter (RFC 9266) would bind the session itself, but Java 17 has no API for it; this binding
 * still tells apart every node with its own certificate, which is what a relaying node cannot fake.
 */
public final class ChannelBindings {
    /** The binding of a connection without TLS (plaintext, in-process). */
    public static final byte[] NONE = new byte[0];

    private ChannelBindings() {
    }

    /** The binding of a client's TLS session: the certificate the node presented; {@link #NONE} without TLS. */
    public static byte[] ofClient(SSLSession session) {
        if (session == null) {
            return NONE;
        }
        try {
            return tlsServerEndPoint(session.getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException e) {
            return NONE;
        }
    }

    /** The binding of a node's TLS session: the certificate it presented; {@link #NONE} without TLS. */
    public static byte[] ofNode(SSLSession session) {
        if (session == null || session.getLocalCertificates() == null || session.getLocalCertificates().length == 0) {
            return NONE;
        }
        return tlsServerEndPoint(session.getLocalCertificates()[0]);
    }

    /**
     * RFC 5929 §4.1: the certificate's DER encoding hashed with the hash of its signature algorithm,
     * SHA-256 when that is weaker (MD5, SHA-1) or has none of its own (EdDSA).
     */
    public static byte[] tlsServerEndPoint(Certificate certificate) {
        try {
            return MessageDigest.getInstance(hashOf(certificate)).digest(certificate.getEncoded());
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the TLS certificate: " + e.getMessage(), e);
        }
    }

    private static String hashOf(Certificate certificate) {
        String algorithm = certificate instanceof X509Certificate x509
                ? x509.getSigAlgName().toUpperCase(Locale.ROOT).replace("-", "") : "";
        for (String hash : new String[]{"SHA3512", "SHA3384", "SHA3256", "SHA512", "SHA384"}) {
            if (algorithm.startsWith(hash)) {
                return hash.startsWith("SHA3") ? "SHA3-" + hash.substring(4) : "SHA-" + hash.substring(3);
            }
        }
        return "SHA-256";
    }
}
