package dev.parley.internal.util;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and PKCS#8 private keys with the JDK alone, and builds trust stores of certificates. */
public final class Pem {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private Pem() {
    }

    /**
     * Every X.509 certificate of a PEM text, in order.
     *
     * @throws IllegalArgumentException none, or one that does not parse
     */
    public static List<X509Certificate> certificates(byte[] pem, String what) {
        try {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> certificates = new ArrayList<>();
            read.forEach(c -> certificates.add((X509Certificate) c));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return Collections.unmodifiableList(certificates);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " is not a PEM certificate list: " + e.getMessage(), e);
        }
    }

    /**
     * The unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) of a PEM text, RSA, EC
     * or EdDSA.
     *
     * @throws IllegalArgumentException no such key (an encrypted or a PKCS#1/SEC1 key says how to convert it)
     */
    public static PrivateKey privateKey(byte[] pem, String what) {
        Matcher m = PRIVATE_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException(what + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException(what + " holds a '" + m.group(1).trim() + " PRIVATE KEY'; an unencrypted"
                    + " PKCS#8 key is needed: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(what + " holds a private key of an unsupported algorithm (RSA, EC, EdDSA are)");
    }

    /** A new in-memory trust store holding {@code certificates} as trusted entries. */
    public static KeyStore trustStore(Collection<? extends Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** The certificates a trust store holds (trusted entries, and the certificate of each key entry). */
    public static List<Certificate> certificatesOf(KeyStore store) {
        try {
            List<Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate != null) {
                    certificates.add(certificate);
                }
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the trust store (was it loaded?): " + e.getMessage(), e);
        }
    }
}
