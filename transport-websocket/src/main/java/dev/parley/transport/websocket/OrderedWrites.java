package dev.parley.transport.websocket;

import dev.parley.TransportException;
import dev.parley.protocol.NodeFrame;
import dev.parley.spi.node.NodeAccess;
import dev.parley.transport.OutboundQueue;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Writes to one WebSocket in the order of the calls, whichever threads make them, and only while the
 * channel is writable: frames wait in an {@link OutboundQueue} (bounded by the node's
 * {@code maxOutboundBytesPerConnection}) and go out on the channel's event loop, one flush per run.
 * Netty writes at once when called on the event loop but queues a task when called from another
 * thread, so writing directly could swap frames on the wire; the queue's writer is the event loop.
 * A close frame goes after every frame written before it; the channel then closes, at the latest
 * after a backstop, even when the client never reads it.
 */
final class OrderedWrites implements OutboundQueue.Socket {
    /** How long a closing channel waits for the client to take what is left before it is closed anyway. */
    static final Duration CLOSE_BACKSTOP = Duration.ofSeconds(5);

    private final Channel channel;
    private final long maxBytes;
    private final OutboundQueue queue;

    /** @param onOverflow what the endpoint does once the client fell too far behind (frees the session) */
    OrderedWrites(Channel channel, NodeAccess node, Runnable onOverflow) {
        this.channel = channel;
        this.maxBytes = node.limits().maxOutboundBytesPerConnection();
        this.queue = new OutboundQueue(this, channel.eventLoop(), maxBytes,
                node::outboundQueued, onOverflow, String.valueOf(channel.remoteAddress()));
    }

    /** Queues {@code frame} as a binary WebSocket frame after everything written before. */
    void send(NodeFrame frame) {
        queue.send(frame);
    }

    /** The channel's writability changed: writes what waits if it can. */
    void writabilityChanged() {
        queue.writable();
    }

    /** The channel is gone: nothing more is written. */
    void discard() {
        queue.discard();
    }

    /**
     * Writes a close frame ({@code code}, {@code reason}) after everything written before, then stops
     * sending (FIN) but keeps reading, so a peer still sending gets to read it instead of a reset; the
     * channel closes when the peer does, or after {@code backstop}. Nothing when the writes were closed
     * or discarded already. The frame is made only when it is written: a frame made for a queue that
     * turns out to be closed would be a buffer nobody releases.
     */
    void writeThenStopSending(int code, String reason, Duration backstop) {
        queue.close(() -> {
            channel.writeAndFlush(CloseCodes.frame(code, reason)).addListener(written -> {
                if (channel instanceof SocketChannel socket) {
                    socket.shutdownOutput();
                }
            });
            closeAfter(backstop);
        });
    }

    /**
     * Writes a close frame ({@code code}, {@code reason}) after everything written before, then closes
     * the channel; nothing when the writes were closed or discarded already (see {@link #writeThenStopSending}).
     */
    void writeAndClose(int code, String reason) {
        queue.close(() -> {
            channel.writeAndFlush(CloseCodes.frame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            closeAfter(CLOSE_BACKSTOP); // a client that does not read would hold the channel open
        });
    }

    private void closeAfter(Duration backstop) {
        channel.eventLoop().schedule(() -> channel.close(), backstop.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void write(NodeFrame frame) {
        channel.write(BinaryFrames.nodeFrame(frame, channel.alloc())); // framed here: the encoder passes it on
    }

    @Override
    public void flush() {
        channel.flush();
    }

    /**
     * The client fell too far behind: nothing more is queued for it. The close frame saying why
     * follows what Netty still buffers (at most its watermark and a frame), so a client that reads
     * again learns why (1013, retryable); one that does not is closed after the backstop.
     */
    @Override
    public void abort(TransportException reason) {
        channel.writeAndFlush(CloseCodes.frame(CloseCodes.TRY_AGAIN_LATER, "client too slow: more than "
                + maxBytes + " bytes waited for it")).addListener(ChannelFutureListener.CLOSE);
        closeAfter(CLOSE_BACKSTOP);
    }
}
