package dev.parley.spi.node;

import dev.parley.internal.util.Pem;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
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
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("the TLS private key (" + key.getAlgorithm() + ") is not the key of the"
                    + " certificate (the first of the chain, a " + chain.get(0).getPublicKey().getAlgorithm() + " key)");
        }
        return new NodeTls(chain, key);
    }

    /** Whether a signature made with {@code privateKey} verifies with {@code publicKey}. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> privateKey.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return privateKey.getAlgorithm().equals(publicKey.getAlgorithm()); // no probe for it: the family at least
        }
        try {
            byte[] probe = "parley-tls-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // keys of different kinds
        }
    }

    /** The node's certificate first, then the intermediates that lead to its CA. */
    public List<X509Certificate> certificateChain() {
        return certificateChain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }
}
