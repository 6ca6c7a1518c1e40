package dev.parley.transport.websocket;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.FrameLink;

import java.util.concurrent.CompletableFuture;

/** Bare links for tests: a link that has said Hello, and what came back on it. */
final class HelloLinks {
    private HelloLinks() {
    }

    /**
     * A link of {@code links} that has said Hello: {@code challenge} completes with the node's first
     * frame once the socket is up, {@code closed} with the link's end.
     */
    static FrameLink open(WebSocketLinks links, CompletableFuture<NodeFrame> challenge,
                          CompletableFuture<Throwable> closed) {
        FrameLink link = links.open(new FrameLink.Handler() {
            @Override
            public void onFrame(NodeFrame frame) {
                challenge.complete(frame);
            }

            @Override
            public void onClosed(Throwable cause) {
                closed.complete(cause);
            }
        });
        link.send(ClientFrame.newBuilder().setRequestId(1).setHello(Hello.newBuilder().setClientVersion("test")).build());
        return link;
    }
}
