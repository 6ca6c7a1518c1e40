package dev.parley.transport.websocket;

import dev.parley.TransportException;
import dev.parley.node.Node;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Hello;
import dev.parley.protocol.NodeFrame;
import dev.parley.testing.FaultProxy;
import dev.parley.transport.FrameLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A link whose socket went silent for good is abandoned at once: no closing handshake the node would
 * never answer, and the socket's threads end. A plain {@code close()} of such a link waits for the
 * node's answer at most {@link WebSocketLinks#CLOSE_TIMEOUT}.
 */
@Timeout(30)
class AbandonedLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static long webSocketThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("WebSocket")).count();
    }

    @Test
    void anAbandonedSilentLinkClosesAtOnceAndFreesItsThreads() throws Exception {
        try (Node node = Node.builder().name("abandoned-link").listen("ws://127.0.0.1:0").build().start();
             FaultProxy proxy = FaultProxy.start(node.endpoint("ws"))) {
            long before = webSocketThreads();
            CompletableFuture<NodeFrame> challenge = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            FrameLink link = openLink(proxy, challenge, closed);
            assertThat(challenge.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).hasChallenge()).isTrue(); // the socket is up
            proxy.blackhole();
            link.abandon();
            assertThat(closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TransportException.class)
                    .matches(e -> ((TransportException) e).isRetryable(), "retryable");
            await().atMost(WAIT).until(() -> webSocketThreads() <= before);
        }
    }

    @Test
    void aClosedLinkWhoseNodeNeverAnswersFreesItsThreadsAfterTheCloseTimeout() throws Exception {
        try (Node node = Node.builder().name("unanswered-close").listen("ws://127.0.0.1:0").build().start();
             FaultProxy proxy = FaultProxy.start(node.endpoint("ws"))) {
            long before = webSocketThreads();
            CompletableFuture<NodeFrame> challenge = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            FrameLink link = openLink(proxy, challenge, closed);
            assertThat(challenge.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).hasChallenge()).isTrue();
            proxy.blackhole();
            link.close(); // the close frame goes into the black hole: no answer will ever come
            assertThat(closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
            await().atMost(WAIT).until(() -> webSocketThreads() <= before);
        }
    }

    /** A link through {@code proxy} that has said Hello: {@code challenge} completes once the socket is up. */
    private static FrameLink openLink(FaultProxy proxy, CompletableFuture<NodeFrame> challenge,
                                      CompletableFuture<Throwable> closed) {
        FrameLink link = new WebSocketLinks(proxy.uri("ws")).open(new FrameLink.Handler() {
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
