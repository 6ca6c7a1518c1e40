package dev.parley.transport.grpc;

import dev.parley.TransportException;
import dev.parley.transport.ChannelBindings;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.NodeFrame;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeSession;
import dev.parley.transport.NodeFrameSession;
import dev.parley.transport.OutboundQueue;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's gRPC listener: every {@code Connect} call becomes one node session. A connection gets the
 * node's {@link dev.parley.spi.node.NodeLimits#preAuthenticationTimeout()} from its accept to a
 * successful authentication: gRPC's handshake timeout ends one that never completes HTTP/2, the
 * idle timeout one that opens no call, the session's timer one that does not authenticate. With TLS
 * ({@code grpcs}) each session checks the client's signature for the certificate this connection
 * presented (channel binding). The port also answers {@code grpc.health.v1} health checks ({@link GrpcHealth}).
 */
final class GrpcEndpoint implements Endpoint {
    private static final Context.Key<SocketAddress> REMOTE = Context.key("parley-remote");
    private static final Context.Key<byte[]> CHANNEL_BINDING = Context.key("parley-channel-binding");

    private final NodeAccess node;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService timers;
    private final AcceptTimes acceptTimes = new AcceptTimes();
    private final GrpcHealth health;
    private final Server server;
    private final URI address;

    /** @param tls the node's TLS ({@code grpcs}), {@code null} for plaintext */
    GrpcEndpoint(NodeAccess node, URI bind, SslContext tls) {
        GrpcProtocol.checkAddress(bind);
        this.node = node;
        String prefix = "parley-node-" + node.name() + "-grpc";
        this.boss = new MultiThreadIoEventLoopGroup(1, NamedThreads.daemon(prefix + "-accept"), NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NamedThreads.daemon(prefix + "-io"), NioIoHandler.newFactory());
        this.timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon(prefix + "-timer"));
        this.health = new GrpcHealth(node, timers);
        ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcProtocol.SERVICE)
                .addMethod(GrpcProtocol.SERVE_CONNECT, ServerCalls.asyncBidiStreamingCall(this::connect))
                .build();
        long preAuthentication = node.limits().preAuthenticationTimeout().toNanos();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bind.getHost(), bind.getPort()));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.server = builder
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .channelFactory(acceptTimes::newServerChannel)
                .handshakeTimeout(preAuthentication, TimeUnit.NANOSECONDS)
                .maxConnectionIdle(preAuthentication, TimeUnit.NANOSECONDS)
                .directExecutor()
                .maxInboundMessageSize(WireLimits.MAX_FRAME_BYTES)
                .permitKeepAliveTime(GrpcLinks.KEEPALIVE_TIME.toNanos() / 2, TimeUnit.NANOSECONDS)
                .addService(ServerInterceptors.intercept(service, new ConnectionInfo()))
                .addService(health)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw new TransportException("cannot listen on " + bind + ": " + e.getMessage(), false, e);
        }
        int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
        this.address = URI.create(bind.getScheme() + "://" + bind.getHost() + ":" + port);
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public void close() {
        health.close();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private StreamObserver<GrpcProtocol.Inbound> connect(StreamObserver<NodeFrame> responses) {
        ServerCallStreamObserver<NodeFrame> out = (ServerCallStreamObserver<NodeFrame>) responses;
        SocketAddress address = REMOTE.get();
        String remote = address == null ? "grpc" : String.valueOf(address);
        NodeSession session;
        try {
            session = node.openSession(remote, CHANNEL_BINDING.get() == null ? ChannelBindings.NONE : CHANNEL_BINDING.get());
        } catch (RuntimeException e) {
            out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return new Ignore();
        }
        Outbound outbound = new Outbound(out);
        OutboundQueue queue = new OutboundQueue(outbound, Runnable::run, node.limits().maxOutboundBytesPerConnection(),
                node::outboundQueued, outbound::ended, remote);
        out.setOnReadyHandler(queue::writable);
        NodeFrameSession frames = new NodeFrameSession(session, queue::send,
                () -> queue.close(outbound::fail), timers, remote,
                acceptTimes.left(address, node.limits().preAuthenticationTimeout()));
        outbound.session = frames;
        out.setOnCancelHandler(() -> {
            queue.discard();
            frames.linkClosed();
        });
        return new StreamObserver<>() {
            @Override
            public void onNext(GrpcProtocol.Inbound frame) {
                if (frame.malformed() == null) {
                    frames.onFrame(frame.frame());
                } else {
                    frames.onMalformedFrame(frame.malformed());
                }
            }

            @Override
            public void onError(Throwable t) {
                queue.discard();
                frames.linkClosed();
            }

            @Override
            public void onCompleted() {
                queue.close(outbound::complete);
                frames.linkClosed();
            }
        };
    }

    /**
     * One call's responses under its {@link OutboundQueue}: writes only while gRPC is ready for more
     * (the queue calls it one at a time); after the call ended, writes are dropped.
     */
    private static final class Outbound implements OutboundQueue.Socket {
        private final ServerCallStreamObserver<NodeFrame> out;
        private volatile NodeFrameSession session;
        private boolean done;

        Outbound(ServerCallStreamObserver<NodeFrame> out) {
            this.out = out;
        }

        @Override
        public boolean isWritable() {
            return out.isReady();
        }

        @Override
        public void write(NodeFrame frame) {
            if (!done && !out.isCancelled()) {
                out.onNext(frame);
            }
        }

        @Override
        public void abort(TransportException reason) {
            end(Status.UNAVAILABLE.withDescription(reason.getMessage()));
        }

        void fail() {
            end(Status.UNAVAILABLE.withDescription("connection closed by the node"));
        }

        void complete() {
            if (!done) {
                done = true;
                out.onCompleted();
            }
        }

        /** The queue gave up on this call: its session ends. */
        void ended() {
            NodeFrameSession s = session;
            if (s != null) {
                s.linkClosed();
            }
        }

        private void end(Status status) {
            if (!done) {
                done = true;
                out.onError(status.asRuntimeException());
            }
        }
    }

    /**
     * Puts the peer's address (for logs, and to find when its connection was accepted) and the
     * connection's channel binding in the call context.
     */
    private static final class ConnectionInfo implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            byte[] binding = ChannelBindings.ofNode(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            Context context = Context.current().withValue(REMOTE, remote)
                    .withValue(CHANNEL_BINDING, binding);
            return Contexts.interceptCall(context, call, headers, next);
        }
    }

    private static final class Ignore implements StreamObserver<GrpcProtocol.Inbound> {
        @Override
        public void onNext(GrpcProtocol.Inbound value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
