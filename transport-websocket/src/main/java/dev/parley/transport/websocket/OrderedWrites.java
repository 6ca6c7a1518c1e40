package dev.parley.transport.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes to one channel in the order of the calls, whichever threads make them. Netty writes at
 * once when called on the channel's event loop but queues a task when called from any other
 * thread, so a write from an outside thread followed by one from the loop could swap on the wire
 * (the node delivers from whichever thread made envelopes deliverable). Here every write is a task
 * on the loop, and one flush serves each run of queued writes.
 */
final class OrderedWrites {
    private final Channel channel;
    private final AtomicInteger queued = new AtomicInteger();

    OrderedWrites(Channel channel) {
        this.channel = channel;
    }

    void write(Object message) {
        queued.incrementAndGet();
        submit(message, () -> {
            channel.write(message);
            if (queued.decrementAndGet() == 0) {
                channel.flush();
            }
        });
    }

    /**
     * Writes {@code message} after everything written before, then stops sending (FIN) but keeps
     * reading, so a peer still sending gets to read {@code message} instead of a reset; the channel
     * closes when the peer does, or after {@code backstop}.
     */
    void writeThenStopSending(Object message, Duration backstop) {
        submit(message, () -> {
            channel.writeAndFlush(message).addListener(written -> {
                if (channel instanceof SocketChannel socket) {
                    socket.shutdownOutput();
                }
            });
            channel.eventLoop().schedule(() -> channel.close(), backstop.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /** Writes {@code message} after everything written before, then closes the channel. */
    void writeAndClose(Object message) {
        submit(message, () -> channel.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE));
    }

    private void submit(Object message, Runnable write) {
        try {
            channel.eventLoop().execute(write);
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(message); // the endpoint is shutting down; the channel is closing anyway
        }
    }
}
