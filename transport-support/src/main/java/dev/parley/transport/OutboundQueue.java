package dev.parley.transport;

import dev.parley.TransportException;
import dev.parley.protocol.NodeFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The frames a node produced for one connection and has not yet handed to its socket, in order and
 * counted in bytes. Frames go to the socket only while it is writable (gRPC's {@code isReady()},
 * Netty's {@code isWritable()}), so what the transport buffers stays near its own watermark; the
 * rest waits here, and the endpoint calls {@link #writable()} when the socket drains. When one more
 * frame would take this queue over its limit ({@code NodeLimits.maxOutboundBytesPerConnection()}),
 * the client is not reading what it asked for: the queue drops what it holds, refuses every later
 * frame and {@linkplain Socket#abort aborts} the connection with a retryable error (the client
 * reconnects and resumes from its cursors). So no client can make the node buffer without bound,
 * and no other connection notices.
 * <p>
 * Frames may be sent from any thread. Every call on the {@link Socket} is made on the queue's
 * writer executor (a channel's event loop, or the caller's thread for gRPC) while the queue's lock
 * is held, so the socket sees one call at a time, in queue order.
 */
public final class OutboundQueue {
    private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);

    /** The connection under a queue. Its methods never block. */
    public interface Socket {
        /** Whether the transport takes more bytes now without buffering beyond its watermark. */
        boolean isWritable();

        /** Hands {@code frame} to the transport. */
        void write(NodeFrame frame);

        /** Flushes what {@link #write} handed over, after a run of writes. */
        default void flush() {
        }

        /** Closes the connection now, dropping whatever it still buffers; the client sees {@code reason}. */
        void abort(TransportException reason);
    }

    private final Socket socket;
    private final Executor writer;
    private final long maxBytes;
    private final LongConsumer peaks;
    private final Runnable onOverflow;
    private final String remote;
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final ArrayDeque<NodeFrame> frames = new ArrayDeque<>(); // guarded by this
    private long queuedBytes;                                         // guarded by this
    private long peakBytes;                                           // guarded by this
    private boolean closed;                                           // guarded by this: no frame is taken

    /**
     * @param writer     where every call on {@code socket} runs
     * @param maxBytes   the most bytes this queue holds
     * @param peaks      told each new high of the bytes held (for the node's figures)
     * @param onOverflow runs once the limit was hit and the socket is being aborted, on the thread
     *                   that sent the frame too many: the endpoint frees the session
     */
    public OutboundQueue(Socket socket, Executor writer, long maxBytes, LongConsumer peaks, Runnable onOverflow,
                         String remote) {
        this.socket = socket;
        this.writer = writer;
        this.maxBytes = maxBytes;
        this.peaks = peaks;
        this.onOverflow = onOverflow;
        this.remote = remote;
    }

    /** Queues {@code frame} after every frame before it; never blocks. Dropped once the queue is closed. */
    public void send(NodeFrame frame) {
        int size = frame.getSerializedSize();
        long newPeak = 0;
        boolean overLimit = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queuedBytes + size > maxBytes) {
                discard();
                abortSocket();
                overLimit = true;
            } else {
                frames.add(frame);
                queuedBytes += size;
                if (queuedBytes > peakBytes) {
                    peakBytes = queuedBytes;
                    newPeak = peakBytes;
                }
            }
        }
        if (overLimit) {
            onOverflow.run();
            return;
        }
        if (newPeak > 0) {
            peaks.accept(newPeak);
        }
        scheduleDrain();
    }

    /** The socket became writable again: writes what waits. From any thread. */
    public void writable() {
        scheduleDrain();
    }

    /**
     * Takes no more frames, hands everything still queued to the socket whatever its writability (at
     * most the limit), then runs {@code last} (e.g. writes a close frame and closes). Once only.
     */
    public void close(Runnable last) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        execute(() -> {
            synchronized (this) {
                writeWhile(false);
                last.run();
            }
        });
    }

    /** The connection is gone: drops what is queued and every later frame. */
    public synchronized void discard() {
        closed = true;
        frames.clear();
        queuedBytes = 0;
    }

    /** Bytes queued now. */
    public synchronized long queuedBytes() {
        return queuedBytes;
    }

    private void abortSocket() {
        TransportException reason = new TransportException("connection closed by the node: the client did not read "
                + "what it asked for (more than " + maxBytes + " bytes were waiting for it); reconnect and resume", true);
        log.info("closing the connection of {}: more than {} bytes queued for it, it does not read them", remote,
                maxBytes);
        execute(() -> {
            synchronized (this) {
                socket.abort(reason);
            }
        });
    }

    private void scheduleDrain() {
        if (drainPending.compareAndSet(false, true)) {
            execute(this::drain);
        }
    }

    private void drain() {
        drainPending.set(false); // a frame queued from now on schedules another drain
        synchronized (this) {
            if (!closed) {
                writeWhile(true);
            }
        }
    }

    /** Writes queued frames in order, while the socket is writable if {@code onlyWhileWritable}. */
    private void writeWhile(boolean onlyWhileWritable) {
        boolean wrote = false;
        while (!frames.isEmpty() && (!onlyWhileWritable || socket.isWritable())) {
            NodeFrame frame = frames.poll();
            queuedBytes -= frame.getSerializedSize();
            socket.write(frame);
            wrote = true;
        }
        if (wrote) {
            socket.flush();
        }
    }

    private void execute(Runnable task) {
        try {
            writer.execute(task);
        } catch (RejectedExecutionException e) {
            discard(); // the endpoint is shutting down; its connections close anyway
        }
    }
}
