package dev.parley.transport.websocket;

import dev.parley.TransportException;
import dev.parley.node.Node;
import dev.parley.protocol.NodeFrame;
import dev.parley.testing.FaultProxy;
import dev.parley.transport.FrameLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A link whose socket went silent for good is abandoned at once: no closing handshake the node would
 * never answer, and its socket closes. A plain {@code close()} of such a link waits for the node's
 * answer at most {@link WebSocketLinks#CLOSE_TIMEOUT}. Neither starts a thread of its own: links run
 * on the client event loops all WebSocket clients share.
 */
@Timeout(30)
class AbandonedLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Live threads but the client event loops', the node's, the proxy's and the JVM's: what a link would start. */
    private static Set<Thread> otherThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getThreadGroup() != null && !"system".equals(t.getThreadGroup().getName()))
                .filter(t -> Stream.of("parley-shared-ws", "parley-node-", "parley-testing-")
                        .noneMatch(t.getName()::startsWith))
                .collect(Collectors.toSet());
    }

    @Test
    void anAbandonedSilentLinkClosesItsSocketAtOnce() throws Exception {
        try (Node node = Node.builder().name("abandoned-link").listen("ws://127.0.0.1:0").build().start();
             FaultProxy proxy = FaultProxy.start(node.endpoint("ws"));
             WebSocketLinks links = new WebSocketLinks(proxy.uri("ws"))) {
            Set<Thread> before = otherThreads();
            CompletableFuture<NodeFrame> challenge = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            FrameLink link = HelloLinks.open(links, challenge, closed);
            assertThat(challenge.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).hasChallenge()).isTrue(); // the socket is up
            assertThat(otherThreads()).as("threads the link started").isSubsetOf(before);
            proxy.blackhole();
            link.abandon();
            assertThat(closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TransportException.class)
                    .matches(e -> ((TransportException) e).isRetryable(), "retryable");
            assertThat(((WebSocketLink) link).socketClosed()).isTrue();
        }
    }

    @Test
    void aClosedLinkWhoseNodeNeverAnswersClosesItsSocketAfterTheCloseTimeout() throws Exception {
        try (Node node = Node.builder().name("unanswered-close").listen("ws://127.0.0.1:0").build().start();
             FaultProxy proxy = FaultProxy.start(node.endpoint("ws"));
             WebSocketLinks links = new WebSocketLinks(proxy.uri("ws"))) {
            CompletableFuture<NodeFrame> challenge = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            FrameLink link = HelloLinks.open(links, challenge, closed);
            assertThat(challenge.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).hasChallenge()).isTrue();
            proxy.blackhole();
            link.close(); // the close frame goes into the black hole: no answer will ever come
            assertThat(closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TransportException.class)
                    .hasMessageContaining("the node did not answer");
            assertThat(((WebSocketLink) link).socketClosed()).isTrue();
        }
    }
}
