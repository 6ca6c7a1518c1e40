package dev.parley.transport.websocket;

import dev.parley.TransportException;
import dev.parley.internal.util.NamedThreads;
import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import dev.parley.internal.util.WireLimits;
import dev.parley.transport.FrameLink;
import dev.parley.transport.TlsSettings;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Links over Netty WebSockets: one socket per link, binary frames carrying the protobuf frames,
 * {@code TCP_NODELAY} on, on the event loops all WebSocket clients of the JVM share
 * ({@link #EVENT_LOOPS}): a link costs a socket, no thread. Frames sent before the socket
 * opened wait for it. A node frame larger than {@link WireLimits#MAX_FRAME_BYTES} is refused from
 * its header, before its payload is buffered: the link closes with 1009 and the client sees a
 * retryable {@link TransportException}. Over TLS ({@code wss}) the node's certificate must chain to
 * the trust given and name the endpoint's host; when it does not, the link fails with a
 * non-retryable {@link TransportException} saying why.
 */
final class WebSocketLinks implements FrameLink.Factory {
    /** How long the TLS handshake, and then the WebSocket upgrade, may take before the link gives up. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    /** How long a closing link waits for the node's answer to its close frame before it drops the socket. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /**
     * The event loops every WebSocket client of the JVM shares (as many as {@link SharedThreads#SIZE}, daemon):
     * a thousand clients run on a handful of threads, and a reconnect costs a socket, not threads.
     */
    static final SharedResource<EventLoopGroup> EVENT_LOOPS = eventLoops("parley-shared-ws");

    private final URI uri;
    private final SslContext tls;
    private final SharedResource<EventLoopGroup> loops;
    private final SharedResource.Lease<EventLoopGroup> clientLease;
    private final WebSocketClientProtocolConfig upgrade;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Plaintext links ({@code ws://}). */
    WebSocketLinks(URI endpoint) {
        this(endpoint, null);
    }

    /** @param tls the client's TLS context ({@code wss://}), {@code null} for plaintext */
    WebSocketLinks(URI endpoint, SslContext tls) {
        this(endpoint, tls, EVENT_LOOPS);
    }

    /** @param loops the event loops the links run on (all clients share {@link #EVENT_LOOPS}) */
    WebSocketLinks(URI endpoint, SslContext tls, SharedResource<EventLoopGroup> loops) {
        this.uri = CloseCodes.dialUri(endpoint);
        this.tls = tls;
        this.upgrade = WebSocketClientProtocolConfig.newBuilder()
                .handleCloseFrames(false) // the link answers close frames, and learns their code
                .sendCloseFrame(null)     // the link sends its own close frames, with the code that says why
                .dropPongFrames(true)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
                .build();
        this.loops = loops;
        this.clientLease = loops.acquire(); // held while this client lives: reconnects find the loops running
    }

    /** Event loops shared by whoever acquires them, their threads named {@code threadPrefix-N}. */
    static SharedResource<EventLoopGroup> eventLoops(String threadPrefix) {
        return new SharedResource<>(threadPrefix + "-", () -> new MultiThreadIoEventLoopGroup(SharedThreads.SIZE,
                NamedThreads.daemon(threadPrefix), NioIoHandler.newFactory()),
                group -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
    }

    /**
     * A client TLS context trusting {@code trustStore} (the JDK's default trust store when empty) that
     * checks the node's certificate names the host dialled.
     */
    static SslContext clientTls(Optional<KeyStore> trustStore) {
        try {
            return SslContextBuilder.forClient().trustManager(TlsSettings.trust(trustStore))
                    .endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new TransportException("cannot set up TLS: " + e.getMessage(), false, e);
        }
    }

    @Override
    public FrameLink open(FrameLink.Handler handler) {
        if (closed.get()) {
            throw new TransportException("transport closed", false);
        }
        NioSocketChannel channel = new NioSocketChannel();
        channel.config().setTcpNoDelay(true);
        WebSocketLink link = new WebSocketLink(uri, handler, channel);
        if (tls != null) {
            SslHandler handshake = tls.newHandler(channel.alloc(), uri.getHost(), uri.getPort());
            handshake.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis());
            channel.pipeline().addLast(handshake);
        }
        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(new ClientHandshaker(uri), upgrade), new WebSocketFrameAggregator(WireLimits.MAX_FRAME_BYTES),
                link);
        SharedResource.Lease<EventLoopGroup> socketLease = loops.acquire(); // a closing socket keeps its loop until it is closed
        channel.closeFuture().addListener(closed -> socketLease.close());
        EventLoopGroup socketLoops = socketLease.get();
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        socketLoops.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                link.connectFailed(registered.cause()); // the channel is closed already
                return;
            }
            ChannelPromise connected = channel.newPromise(); // listened to before a failure can close the channel
            connected.addListener(done -> {
                if (!done.isSuccess()) {
                    link.connectFailed(done.cause());
                }
            });
            channel.connect(address, connected);
        });
        return link;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            clientLease.close();
        }
    }
}
