package dev.parley.tck.fuzz;

import java.net.URI;

/**
 * One connection to a node that carries raw frames, whatever bytes they hold: what a hostile client
 * sends (the transport's own framing, gRPC messages or WebSocket binary messages, around any
 * payload). A transport under fuzzing provides it.
 */
public interface ByteLink extends AutoCloseable {
    /** Sends {@code frame} as one frame of the transport; ignored once the link is closed. */
    void send(byte[] frame);

    /** Closes the connection from the client's side; the handler then hears {@link Handler#onClosed}. */
    @Override
    void close();

    /** What arrives on a link. */
    interface Handler {
        /** One frame from the node, as it came. */
        void onFrame(byte[] frame);

        /** The link is gone; called once. */
        void onClosed(Closed how);
    }

    /**
     * How a link ended: {@code description} names the close code or status; {@code unexpected} when
     * that code says the node itself failed (WebSocket 1011, gRPC {@code UNKNOWN}), not that it
     * refused what it got.
     */
    record Closed(String description, boolean unexpected) {
    }

    /** Opens raw links to a node endpoint. */
    interface Factory extends AutoCloseable {
        ByteLink open(URI endpoint, Handler handler);

        @Override
        void close();
    }
}
