package dev.parley.transport.websocket;

import com.google.auto.service.AutoService;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.EndpointProvider;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeTls;
import dev.parley.transport.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.security.cert.X509Certificate;

/**
 * Lets a node serve {@code wss://host:port} (WebSocket over TLS) with its certificate:
 * {@code Node.builder().tls(cert, key).listen("wss://0.0.0.0:443")}.
 */
@AutoService(EndpointProvider.class)
public final class WssEndpointProvider implements EndpointProvider {
    @Override
    public String scheme() {
        return "wss";
    }

    /** @throws IllegalStateException the node has no TLS certificate */
    @Override
    public Endpoint start(NodeAccess node, URI bind) {
        return new WebSocketEndpoint(node, bind, context(TlsSettings.nodeCertificate(node, bind)));
    }

    private static SslContext context(NodeTls tls) {
        try {
            return SslContextBuilder.forServer(tls.privateKey(), tls.certificateChain().toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("the node's TLS certificate or key is not usable: " + e.getMessage(), e);
        }
    }
}
