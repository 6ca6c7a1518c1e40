package dev.parley.transport.grpc;

import dev.parley.TransportException;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.WireLimits;
import dev.parley.protocol.NodeFrame;
import dev.parley.spi.node.Endpoint;
import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeSession;
import dev.parley.transport.NodeFrameSession;
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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A node's gRPC listener: every {@code Connect} call becomes one node session. */
final class GrpcEndpoint implements Endpoint {
    private static final Context.Key<String> REMOTE = Context.key("parley-remote");

    private final NodeAccess node;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService timers;
    private final Server server;
    private final URI address;

    GrpcEndpoint(NodeAccess node, URI bind) {
        GrpcProtocol.checkAddress(bind);
        this.node = node;
        String prefix = "parley-node-" + node.name() + "-grpc";
        this.boss = new MultiThreadIoEventLoopGroup(1, NamedThreads.daemon(prefix + "-accept"), NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NamedThreads.daemon(prefix + "-io"), NioIoHandler.newFactory());
        this.timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon(prefix + "-timer"));
        ServerServiceDefinition service = ServerServiceDefinition.builder(GrpcProtocol.SERVICE)
                .addMethod(GrpcProtocol.SERVE_CONNECT, ServerCalls.asyncBidiStreamingCall(this::connect))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(bind.getHost(), bind.getPort()))
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .channelType(NioServerSocketChannel.class)
                .directExecutor()
                .maxInboundMessageSize(WireLimits.MAX_FRAME_BYTES)
                .addService(ServerInterceptors.intercept(service, new RemoteAddress()))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw new TransportException("cannot listen on " + bind + ": " + e.getMessage(), false, e);
        }
        int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
        this.address = URI.create("grpc://" + bind.getHost() + ":" + port);
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public void close() {
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
        String remote = REMOTE.get() == null ? "grpc" : REMOTE.get();
        NodeSession session;
        try {
            session = node.openSession(remote);
        } catch (RuntimeException e) {
            out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return new Ignore();
        }
        Outbound outbound = new Outbound(out);
        NodeFrameSession frames = new NodeFrameSession(session, outbound::send, outbound::fail, timers, remote);
        out.setOnCancelHandler(frames::linkClosed);
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
                frames.linkClosed();
            }

            @Override
            public void onCompleted() {
                outbound.complete();
                frames.linkClosed();
            }
        };
    }

    /** Serializes writes to one call; after the call ended, writes are dropped. */
    private static final class Outbound {
        private final ServerCallStreamObserver<NodeFrame> out;
        private boolean done;

        Outbound(ServerCallStreamObserver<NodeFrame> out) {
            this.out = out;
        }

        synchronized void send(NodeFrame frame) {
            if (!done && !out.isCancelled()) {
                out.onNext(frame);
            }
        }

        synchronized void fail() {
            if (!done) {
                done = true;
                out.onError(Status.UNAVAILABLE.withDescription("connection closed by the node").asRuntimeException());
            }
        }

        synchronized void complete() {
            if (!done) {
                done = true;
                out.onCompleted();
            }
        }
    }

    /** Puts the peer's address in the call context, for logs. */
    private static final class RemoteAddress implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            return Contexts.interceptCall(Context.current().withValue(REMOTE, String.valueOf(remote)), call, headers, next);
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
