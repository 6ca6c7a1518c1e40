package dev.parley.tck.fuzz;

import dev.parley.protocol.ClientFrame;

import java.net.URI;

/**
 * A node that is not one: a small server of a transport that hands every client frame to a {@link
 * Script} and sends whatever the script says, so a hostile node can be played against the real
 * client. A transport under fuzzing provides it ({@link Factory}).
 */
public interface FakeNode extends AutoCloseable {
    /** Where clients reach it ({@code scheme://127.0.0.1:port}). */
    URI endpoint();

    /** Stops serving and closes every connection. */
    @Override
    void close();

    /** A fake node at {@code endpoint} that {@code stop} shuts down. */
    static FakeNode of(URI endpoint, Runnable stop) {
        return new FakeNode() {
            @Override
            public URI endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }

    /** One client connection as the fake node sees it. */
    interface Peer {
        /** Sends {@code frame} as one frame of the transport (any bytes; usually a {@code NodeFrame}). */
        void send(byte[] frame);

        /** Ends the connection from the node's side. */
        void close();
    }

    /** What the fake node does; called on the transport's threads, one frame of a peer at a time. */
    interface Script {
        void onFrame(Peer peer, ClientFrame frame);

        /** A client frame that did not parse (the real client never sends one). */
        default void onMalformed(Peer peer) {
        }
    }

    /** Starts fake nodes on loopback, on a free port. */
    interface Factory {
        FakeNode start(Script script);
    }
}
