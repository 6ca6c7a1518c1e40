package dev.parley.transport.grpc;

import dev.parley.TransportException;
import dev.parley.transport.ChannelBindings;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.FrameLink;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Links over one gRPC channel: each link is one {@code Connect} call. The channel and its single
 * event loop thread belong to this factory and end with it. With TLS ({@code grpcs}) the channel
 * checks the node's certificate against the trust given and the endpoint's host name.
 */
final class GrpcLinks implements FrameLink.Factory {
    private final URI endpoint;
    private final EventLoopGroup eventLoop;
    private final ManagedChannel channel;

    /** Plaintext links ({@code grpc://}). */
    GrpcLinks(URI endpoint) {
        this(endpoint, null);
    }

    /** @param tls the client's TLS context ({@code grpcs://}), {@code null} for plaintext */
    GrpcLinks(URI endpoint, SslContext tls) {
        GrpcProtocol.checkAddress(endpoint);
        this.endpoint = endpoint;
        this.eventLoop = new MultiThreadIoEventLoopGroup(1, NamedThreads.daemon("parley-grpc-client"),
                NioIoHandler.newFactory());
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort());
        if (tls == null) {
            builder.usePlaintext();
        } else {
            builder.sslContext(tls); // grpc-netty verifies the host name of the authority (host:port)
        }
        this.channel = builder
                .eventLoopGroup(eventLoop)
                .channelType(NioSocketChannel.class)
                .directExecutor() // handlers only hand work on, they never block
                .maxInboundMessageSize(WireLimits.MAX_FRAME_BYTES)
                .build();
    }

    @Override
    public FrameLink open(FrameLink.Handler handler) {
        return new Link(handler);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class Link implements FrameLink {
        private final ClientCall<ClientFrame, NodeFrame> call;
        private final ClientCallStreamObserver<ClientFrame> requests;
        private boolean closed; // guarded by this

        Link(FrameLink.Handler handler) {
            StreamObserver<NodeFrame> responses = new StreamObserver<>() {
                @Override
                public void onNext(NodeFrame frame) {
                    handler.onFrame(frame);
                }

                @Override
                public void onError(Throwable t) {
                    markClosed();
                    handler.onClosed(GrpcProtocol.asTransportException(t, endpoint));
                }

                @Override
                public void onCompleted() {
                    markClosed();
                    handler.onClosed(new TransportException("node closed the connection", true));
                }
            };
            this.call = channel.newCall(GrpcProtocol.CONNECT, CallOptions.DEFAULT);
            this.requests = (ClientCallStreamObserver<ClientFrame>) ClientCalls.asyncBidiStreamingCall(call, responses);
        }

        @Override
        public byte[] channelBinding() {
            return ChannelBindings.ofClient(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        }

        @Override
        public synchronized void send(ClientFrame frame) {
            if (closed) {
                throw new TransportException("connection closed", true);
            }
            requests.onNext(frame);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            requests.cancel("client closed the connection", null);
        }

        private synchronized void markClosed() {
            closed = true;
        }
    }
}
