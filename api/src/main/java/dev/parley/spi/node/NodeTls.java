package dev.parley.spi.node;

import dev.parley.internal.util.Pem;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The certificate chain and private key a node serves its TLS endpoints ({@code grpcs}, {@code wss})
 * with, read from PEM: the chain starts with the node's own certificate; the key is an unencrypted
 * PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}) of that certificate.
 */
public final class NodeTls {
    private final List<X509Certificate> certificateChain;
    private final PrivateKey privateKey;

    private NodeTls(List<X509Certificate> certificateChain, PrivateKey privateKey) {
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
    }

    /**
     * @throws IllegalArgumentException either does not parse, or the key is not the certificate's
     */
    public static NodeTls fromPem(byte[] certificateChainPem, byte[] privateKeyPem) {
        List<X509Certificate> chain = Pem.certificates(Objects.requireNonNull(certificateChainPem, "certificateChainPem"),
                "the TLS certificate chain");
        PrivateKey key = Pem.privateKey(Objects.requireNonNull(privateKeyPem, "privateKeyPem"), "the TLS private key");
        String certificateAlgorithm = chain.get(0).getPublicKey().getAlgorithm();
        if (!sameFamily(certificateAlgorithm, key.getAlgorithm())) {
            throw new IllegalArgumentException("the TLS private key (" + key.getAlgorithm()
                    + ") does not belong to the certificate (" + certificateAlgorithm + " key)");
        }
        return new NodeTls(chain, key);
    }

    /** The node's certificate first, then the intermediates that lead to its CA. */
    public List<X509Certificate> certificateChain() {
        return certificateChain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    private static boolean sameFamily(String certificateKey, String privateKey) {
        return certificateKey.equals(privateKey)
                || (certificateKey.startsWith("Ed") || certificateKey.equals("EdDSA"))
                && (privateKey.startsWith("Ed") || privateKey.equals("EdDSA"));
    }
}
