package dev.parley.testing;

import dev.parley.internal.util.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificate authorities and node certificates made at test time (EC P-256, BouncyCastle), for real
 * TLS handshakes on loopback:
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("test CA");
 * TestCertificates.Issued node = ca.issue("127.0.0.1", "localhost");
 * Node.builder().tls(node.chainPem(), node.privateKeyPem()).listen("grpcs://127.0.0.1:0");
 * ClientOptions.builder().trustStore(ca.trustStore());
 * }</pre>
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final String SIGNATURE = "SHA256withECDSA";

    private TestCertificates() {
    }

    /** A new self-signed certificate authority. */
    public static Authority authority(String commonName) {
        KeyPair keys = newKeys();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Authority(keys, sign(builder, keys.getPrivate()));
    }

    /** A certificate authority: it issues node certificates and is what clients trust. */
    public static final class Authority {
        private final KeyPair keys;
        private final X509Certificate certificate;

        private Authority(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** A trust store holding this authority alone. */
        public KeyStore trustStore() {
            return TestCertificates.trustStore(certificate);
        }

        /** A client {@link SSLContext} trusting this authority alone. */
        public SSLContext clientContext() {
            try {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), RANDOM);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A certificate for {@code hosts} (names or IP addresses), valid from an hour ago to a day from now. */
        public Issued issue(String... hosts) {
            Instant now = Instant.now();
            return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), hosts);
        }

        /** A certificate for {@code hosts} that expired an hour ago. */
        public Issued issueExpired(String... hosts) {
            Instant now = Instant.now();
            return issue(now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)), hosts);
        }

        private Issued issue(Instant from, Instant to, String... hosts) {
            KeyPair leaf = newKeys();
            X500Name issuer = new X500Name(certificate.getSubjectX500Principal().getName());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(from),
                    Date.from(to), new X500Name("CN=" + hosts[0]), leaf.getPublic());
            GeneralName[] names = new GeneralName[hosts.length];
            for (int i = 0; i < hosts.length; i++) {
                names[i] = new GeneralName(hosts[i].matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName,
                        hosts[i]);
            }
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Issued(sign(builder, keys.getPrivate()), leaf.getPrivate(), certificate);
        }
    }

    /** A certificate and its private key, issued by an {@link Authority}. */
    public static final class Issued {
        private final X509Certificate certificate;
        private final PrivateKey privateKey;
        private final X509Certificate issuer;

        private Issued(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {
            this.certificate = certificate;
            this.privateKey = privateKey;
            this.issuer = issuer;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** This certificate then its issuer's, PEM. */
        public byte[] chainPem() {
            return (pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer)))
                    .getBytes(StandardCharsets.US_ASCII);
        }

        /** This certificate alone, PEM: what a client pins. */
        public byte[] certificatePem() {
            return pem("CERTIFICATE", encoded(certificate)).getBytes(StandardCharsets.US_ASCII);
        }

        /** The private key, unencrypted PKCS#8 PEM. */
        public byte[] privateKeyPem() {
            return pem("PRIVATE KEY", privateKey.getEncoded()).getBytes(StandardCharsets.US_ASCII);
        }

        /** Writes {@code cert.pem} (the chain) and {@code key.pem} into {@code dir}; returns {@code dir}. */
        public Path writeTo(Path dir) {
            try {
                Files.createDirectories(dir);
                Files.write(dir.resolve("cert.pem"), chainPem());
                Files.write(dir.resolve("key.pem"), privateKeyPem());
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A server {@link SSLContext} presenting this certificate (for relays and fake nodes in tests). */
        public SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = "test".toCharArray();
                store.setKeyEntry("key", privateKey, password, new Certificate[]{certificate, issuer});
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, RANDOM);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A trust store holding {@code certificates}. */
    public static KeyStore trustStore(X509Certificate... certificates) {
        return Pem.trustStore(List.of(certificates));
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE)
                    .build(key)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
