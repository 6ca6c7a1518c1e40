package dev.parley.transport.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each open connection of a gRPC endpoint was accepted, by the client's address: gRPC tells a
 * call its peer's address but not when its connection began, and the pre-authentication timeout
 * counts from the accept. An entry lives until the connection's first call or its close.
 */
final class AcceptTimes {
    private final Map<SocketAddress, Long> acceptedAt = new ConcurrentHashMap<>();

    /** A listening channel that records the accept time of every connection it accepts. */
    ServerChannel newServerChannel() {
        return new NioServerSocketChannel() {
            @Override
            protected int doReadMessages(List<Object> accepted) throws Exception {
                int from = accepted.size();
                int n = super.doReadMessages(accepted);
                for (int i = from; i < accepted.size(); i++) {
                    record((Channel) accepted.get(i));
                }
                return n;
            }
        };
    }

    private void record(Channel connection) {
        SocketAddress remote = connection.remoteAddress();
        if (remote == null) {
            return;
        }
        Long now = System.nanoTime();
        acceptedAt.put(remote, now);
        connection.closeFuture().addListener(closed -> acceptedAt.remove(remote, now));
    }

    /**
     * What is left of {@code timeout} for a call of the connection from {@code remote}: for its first
     * call, what the accept left; for a later one (a client reconnecting after the node ended its
     * session, over the same HTTP/2 connection) all of it, counted from that call. The connection
     * itself is bounded meanwhile by gRPC's idle timeout.
     */
    Duration left(SocketAddress remote, Duration timeout) {
        Long at = remote == null ? null : acceptedAt.remove(remote);
        return at == null ? timeout : timeout.minusNanos(System.nanoTime() - at);
    }
}
