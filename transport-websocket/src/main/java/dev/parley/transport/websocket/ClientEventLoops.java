package dev.parley.transport.websocket;

import dev.parley.internal.util.NamedThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event loops every WebSocket client in a JVM shares: one group of daemon threads, as many as
 * cores, created when the first client needs it and shut down once no client has used it for
 * {@link #LINGER} (a client closed and another opened right after reuse the threads). Clients and
 * their sockets each {@link #acquire()} it and {@link #release(EventLoopGroup)} it when done, so a
 * socket still closing keeps its loop running. A thousand clients so run on a handful of threads,
 * and a reconnect costs a socket, not threads.
 */
final class ClientEventLoops {
    /** How long the group outlives its last user. */
    static final Duration LINGER = Duration.ofMillis(500);
    /** The group of this JVM's WebSocket clients. */
    static final ClientEventLoops SHARED = new ClientEventLoops(() -> new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), NamedThreads.daemon("parley-ws-client"),
            NioIoHandler.newFactory()), LINGER);

    private final Supplier<EventLoopGroup> factory;
    private final Duration linger;
    private EventLoopGroup group;                                   // guarded by this
    private int users;                                              // guarded by this
    private io.netty.util.concurrent.ScheduledFuture<?> shutdown;   // guarded by this

    ClientEventLoops(Supplier<EventLoopGroup> factory, Duration linger) {
        this.factory = factory;
        this.linger = linger;
    }

    /** The group, created if there is none; the caller must {@link #release} it once. */
    synchronized EventLoopGroup acquire() {
        if (shutdown != null) {
            shutdown.cancel(false);
            shutdown = null;
        }
        if (group == null) {
            group = factory.get();
        }
        users++;
        return group;
    }

    /** One user of {@code used} (what {@link #acquire()} gave) is done with it. */
    synchronized void release(EventLoopGroup used) {
        if (used != group || users == 0) {
            throw new IllegalStateException("released an event loop group that is not held");
        }
        if (--users == 0) {
            shutdown = used.next().schedule(() -> shutDownIfUnused(used), linger.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Whether a group exists now (held, or lingering after its last user). */
    synchronized boolean running() {
        return group != null;
    }

    private void shutDownIfUnused(EventLoopGroup lingering) {
        synchronized (this) {
            if (users > 0 || group != lingering) {
                return; // taken again meanwhile (the cancel came too late to stop this task)
            }
            group = null;
            shutdown = null;
        }
        lingering.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
