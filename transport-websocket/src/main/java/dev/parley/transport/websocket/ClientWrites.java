package dev.parley.transport.websocket;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client WebSocket's outgoing frames, in the order of the calls whichever threads make them.
 * Frames wait here until the WebSocket is open, then go out on the channel's event loop while the
 * channel is writable, one flush per run. (Netty writes at once when called on the event loop but
 * queues a task when called from another thread, so writing directly could swap frames on the
 * wire.) A close frame goes after every frame queued before it.
 */
final class ClientWrites {
    private final Channel channel;
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final ArrayDeque<WebSocketFrame> frames = new ArrayDeque<>(); // guarded by this
    private boolean open;                                                 // guarded by this
    private boolean finished;                                             // guarded by this

    ClientWrites(Channel channel) {
        this.channel = channel;
    }

    /** Queues {@code frame} after every frame before it; never blocks. False (frame dropped) once finished. */
    boolean send(WebSocketFrame frame) {
        synchronized (this) {
            if (finished) {
                frame.release();
                return false;
            }
            frames.add(frame);
        }
        scheduleDrain();
        return true;
    }

    /** The WebSocket is open (handshake done): what waits goes out. On the event loop. */
    void opened() {
        synchronized (this) {
            open = true;
        }
        drain();
    }

    /** The channel became writable (or not): writes what waits if it can. */
    void writabilityChanged() {
        scheduleDrain();
    }

    /**
     * Takes no more frames; when the WebSocket is open, writes everything queued whatever the
     * channel's writability, then {@code last}, and says true; otherwise drops it all and says false.
     * On the event loop.
     */
    synchronized boolean finish(WebSocketFrame last) {
        finished = true;
        if (!open) {
            discard();
            last.release();
            return false;
        }
        frames.forEach(channel::write);
        frames.clear();
        channel.writeAndFlush(last);
        return true;
    }

    /** Takes no more frames and drops what waits. */
    synchronized void discard() {
        finished = true;
        frames.forEach(WebSocketFrame::release);
        frames.clear();
    }

    private void scheduleDrain() {
        if (drainPending.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                discard(); // the event loops are shutting down: the channel closes with them
            }
        }
    }

    private void drain() {
        drainPending.set(false); // a frame queued from now on schedules another drain
        synchronized (this) {
            if (!open || finished) {
                return;
            }
            boolean wrote = false;
            while (!frames.isEmpty() && channel.isWritable()) {
                channel.write(frames.poll());
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }
    }
}
