package dev.parley.transport;

import dev.parley.TransportException;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeTls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

/** What the TLS schemes of every transport share: the client's trust, the node's certificate. */
public final class TlsSettings {
    private TlsSettings() {
    }

    /** Trust managers over {@code trustStore}, or over the JDK's default trust store when it is empty. */
    public static TrustManagerFactory trust(Optional<KeyStore> trustStore) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore.orElse(null)); // null: the JDK's cacerts (or javax.net.ssl.trustStore)
            return factory;
        } catch (GeneralSecurityException e) {
            throw new TransportException("cannot set up TLS trust: " + e.getMessage(), false, e);
        }
    }

    /** A client {@link SSLContext} trusting {@code trustStore} (the JDK default when empty). */
    public static SSLContext clientContext(Optional<KeyStore> trustStore) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust(trustStore).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TransportException("cannot set up TLS: " + e.getMessage(), false, e);
        }
    }

    /**
     * The certificate a TLS endpoint serves.
     *
     * @throws IllegalStateException the node was given no certificate
     */
    public static NodeTls nodeCertificate(NodeAccess node, URI bind) {
        return node.tls().orElseThrow(() -> new IllegalStateException("node " + node.name() + " cannot listen on "
                + bind + ": " + bind.getScheme() + " serves TLS and the node has no certificate; give it one with"
                + " Node.builder().tls(certificateChainPem, privateKeyPem) (parley node --tls-cert FILE --tls-key FILE)"));
    }
}
