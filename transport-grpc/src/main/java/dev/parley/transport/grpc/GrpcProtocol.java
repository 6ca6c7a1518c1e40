package dev.parley.transport.grpc;

import dev.parley.ProtocolException;
import dev.parley.TransportException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.TlsFailures;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;

import dev.parley.spi.node.NodeTls;
import dev.parley.transport.TlsSettings;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.InputStream;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** The one gRPC method, {@code parley.v1.Parley/Connect} (see parley.proto), and what both sides share. */
final class GrpcProtocol {
    static final String SERVICE = "parley.v1.Parley";
    static final MethodDescriptor<ClientFrame, NodeFrame> CONNECT =
            MethodDescriptor.<ClientFrame, NodeFrame>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Connect"))
                    .setRequestMarshaller(ProtoUtils.marshaller(ClientFrame.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(NodeFrame.getDefaultInstance()))
                    .build();

    /**
     * {@link #CONNECT} as the node serves it: a request that does not parse is handed over as an
     * {@link Inbound} saying why, so the node refuses it with an error frame and a close, like any
     * bad frame, instead of grpc-java failing the call as an application error.
     */
    static final MethodDescriptor<Inbound, NodeFrame> SERVE_CONNECT =
            CONNECT.toBuilder(new InboundMarshaller(), ProtoUtils.marshaller(NodeFrame.getDefaultInstance())).build();

    private GrpcProtocol() {
    }

    /** A client frame as received: parsed, or why it could not be. */
    record Inbound(ClientFrame frame, String malformed) {
    }

    /** grpc-java's protobuf marshaller (it parses from gRPC's buffers without copying), refusals caught. */
    private static final class InboundMarshaller implements MethodDescriptor.Marshaller<Inbound> {
        private static final MethodDescriptor.Marshaller<ClientFrame> PROTOBUF =
                ProtoUtils.marshaller(ClientFrame.getDefaultInstance());

        @Override
        public InputStream stream(Inbound value) {
            return PROTOBUF.stream(value.frame());
        }

        @Override
        public Inbound parse(InputStream stream) {
            try {
                return new Inbound(PROTOBUF.parse(stream), null);
            } catch (StatusRuntimeException e) { // what the protobuf marshaller throws for bytes that do not parse
                return new Inbound(null, String.valueOf(e.getStatus().getDescription()));
            }
        }
    }

    /** The client's TLS (HTTP/2 over ALPN, the JDK's TLS) trusting {@code trustStore}, the JDK default when empty. */
    static SslContext clientTls(Optional<KeyStore> trustStore) {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                    .trustManager(TlsSettings.trust(trustStore)).build();
        } catch (SSLException e) {
            throw new TransportException("cannot set up TLS: " + e.getMessage(), false, e);
        }
    }

    /** The node's TLS (HTTP/2 over ALPN, the JDK's TLS) with its certificate. */
    static SslContext nodeTls(NodeTls tls) {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(tls.privateKey(),
                    tls.certificateChain().toArray(X509Certificate[]::new)), SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("the node's TLS certificate or key is not usable: " + e.getMessage(), e);
        }
    }

    /** Host and port of a {@code grpc://host:port} URI; a clear error for anything else. */
    static void checkAddress(URI uri) {
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new ProtocolException("gRPC endpoint needs host and port, e.g. " + uri.getScheme()
                    + "://127.0.0.1:5556, was " + uri);
        }
    }

    /**
     * A failed call as a Parley exception: the connection is gone, a new one may work; unless the
     * node's TLS certificate was refused, which no new connection changes.
     */
    static TransportException asTransportException(Throwable failure, URI endpoint) {
        TransportException refused = TlsFailures.refusal(failure, endpoint);
        if (refused != null) {
            return refused;
        }
        Status status = Status.fromThrowable(failure);
        return new TransportException("gRPC connection closed: " + status.getCode()
                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"), true, failure);
    }
}
