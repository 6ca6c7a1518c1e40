package dev.parley.transport.grpc;

import dev.parley.TransportException;
import dev.parley.transport.ChannelBindings;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Links over a gRPC channel: each link is one {@code Connect} call, and the calls share the
 * channel's HTTP/2 connection. A link that went silent ({@link FrameLink#abandon()}) takes that
 * channel with it: its connection may be dead without a FIN or a RST, and every later call would
 * go down it until TCP gives up, so the next link opens a new channel, hence a new connection.
 * gRPC keepalive pings also find a dead connection while no call is open. The channels belong to
 * this factory and end with it; each runs its I/O and timers on one of the event loops all gRPC
 * clients of the JVM share ({@link #EVENT_LOOPS}), their name look-ups on the shared pool for blocking
 * work. With TLS ({@code grpcs}) the channel checks the node's certificate against the trust given and
 * the endpoint's host name.
 */
final class GrpcLinks implements FrameLink.Factory {
    /** Idle time after which the channel pings the node; gRPC allows no less than 10 s. */
    static final Duration KEEPALIVE_TIME = Duration.ofSeconds(20);
    /** How long a keepalive ping may go unanswered before the connection counts as dead. */
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

    /** The event loops of every gRPC client connection in the JVM: one thread per core, at least two. */
    static final SharedResource<EventLoopGroup> EVENT_LOOPS = new SharedResource<>("parley-shared-grpc-",
            () -> new MultiThreadIoEventLoopGroup(SharedThreads.SIZE, NamedThreads.daemon("parley-shared-grpc"),
                    NioIoHandler.newFactory()),
            group -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));

    private static final Logger log = LoggerFactory.getLogger(GrpcLinks.class);

    private final URI endpoint;
    private final SslContext tls; // null: plaintext
    private final SharedResource.Lease<EventLoopGroup> eventLoop;
    private final SharedResource.Lease<ExecutorService> blocking;
    private ManagedChannel channel; // guarded by this
    private boolean closed;         // guarded by this

    /** Plaintext links ({@code grpc://}). */
    GrpcLinks(URI endpoint) {
        this(endpoint, null);
    }

    /** @param tls the client's TLS context ({@code grpcs://}), {@code null} for plaintext */
    GrpcLinks(URI endpoint, SslContext tls) {
        GrpcProtocol.checkAddress(endpoint);
        this.endpoint = endpoint;
        this.tls = tls;
        this.eventLoop = EVENT_LOOPS.acquire();
        this.blocking = SharedThreads.BLOCKING.acquire();
        this.channel = newChannel();
    }

    private ManagedChannel newChannel() {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort());
        if (tls == null) {
            builder.usePlaintext();
        } else {
            builder.sslContext(tls); // grpc-netty verifies the host name of the authority (host:port)
        }
        return builder
                // one loop of the group, taken here: given the whole group, grpc-java takes a loop for the
                // connection and another for each of the channel's timers, so with two loops every channel
                // of the JVM landed on the same one and the other stayed idle
                .eventLoopGroup(eventLoop.get().next())
                .channelType(NioSocketChannel.class)
                .directExecutor() // handlers only hand work on, they never block
                .offloadExecutor(blocking.get()) // not grpc-java's own cached pool
                .maxInboundMessageSize(WireLimits.MAX_FRAME_BYTES)
                .keepAliveTime(KEEPALIVE_TIME.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .build();
    }

    @Override
    public synchronized FrameLink open(FrameLink.Handler handler) {
        return new Link(channel, handler);
    }

    /** Drops {@code dead} (if it is still the current channel): the next link dials a new connection. */
    private void replace(ManagedChannel dead) {
        synchronized (this) {
            if (closed || channel != dead) {
                return;
            }
            channel = newChannel();
        }
        log.info("gRPC connection to {} went silent; the next link uses a new connection", endpoint);
        dead.shutdownNow();
    }

    @Override
    public void close() {
        ManagedChannel last;
        synchronized (this) {
            closed = true;
            last = channel;
        }
        last.shutdownNow();
        try {
            last.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.close();
        blocking.close();
    }

    private final class Link implements FrameLink {
        private final ManagedChannel channel;
        private final ClientCall<ClientFrame, NodeFrame> call;
        private final ClientCallStreamObserver<ClientFrame> requests;
        private boolean closed; // guarded by this

        Link(ManagedChannel channel, FrameLink.Handler handler) {
            this.channel = channel;
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

        @Override
        public void abandon() {
            close();
            replace(channel);
        }

        private synchronized void markClosed() {
            closed = true;
        }
    }
}
