package dev.parley.transport.grpc;

import dev.parley.node.Node;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.FrameLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connections of a JVM spread over the shared event loops: two channels opened one after the
 * other run on two different loops. (Given the whole group, grpc-java took one loop for a connection
 * and one for each timer of its channel, and with two loops every connection landed on the same one.)
 */
@Timeout(30)
class GrpcEventLoopSpreadTest {
    @Test
    void twoConnectionsOpenedInTurnRunOnTwoEventLoops() throws Exception {
        try (Node node = Node.builder().name("spread").listen("grpc://127.0.0.1:0").build().start()) {
            URI endpoint = node.endpoint("grpc");
            try (GrpcLinks first = new GrpcLinks(endpoint); GrpcLinks second = new GrpcLinks(endpoint)) {
                assertThat(threadAnswering(first)).startsWith("parley-shared-grpc")
                        .isNotEqualTo(threadAnswering(second));
            }
        }
    }

    /** The thread on which the node's first answer on a new link of {@code links} arrives. */
    private static String threadAnswering(GrpcLinks links) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        FrameLink link = links.open(new FrameLink.Handler() {
            @Override
            public void onFrame(NodeFrame frame) {
                thread.complete(Thread.currentThread().getName());
            }

            @Override
            public void onClosed(Throwable cause) {
                thread.completeExceptionally(cause);
            }
        });
        try {
            link.send(ClientFrame.newBuilder().setRequestId(1).setHello(Hello.getDefaultInstance()).build());
            return thread.get(10, TimeUnit.SECONDS);
        } finally {
            link.close();
        }
    }
}
