package dev.parley.transport.websocket;

import dev.parley.internal.util.SharedResource;
import dev.parley.internal.util.SharedThreads;
import dev.parley.node.Node;
import dev.parley.protocol.NodeFrame;
import dev.parley.transport.FrameLink;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many WebSocket clients in one JVM share the client event loops: each link costs a socket, no
 * thread, and the loops end once the last client closed.
 */
@Timeout(60)
class SharedEventLoopsTest {
    private static final int CLIENTS = 40;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Like {@link WebSocketLinks#EVENT_LOOPS}, with threads of their own name, so that other tests' clients do not count. */
    private final SharedResource<EventLoopGroup> loops = WebSocketLinks.eventLoops("test-ws-client");

    private static Set<String> clientLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("test-ws-client")).collect(Collectors.toSet());
    }

    @Test
    void manyClientsRunOnAtMostOneThreadPerCoreAndFreeThemWhenClosed() throws Exception {
        try (Node node = Node.builder().name("shared-loops").listen("ws://127.0.0.1:0").build().start()) {
            int threadsBefore = Thread.activeCount();
            List<WebSocketLinks> clients = new ArrayList<>();
            List<FrameLink> links = new ArrayList<>();
            List<CompletableFuture<NodeFrame>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                WebSocketLinks client = new WebSocketLinks(node.endpoint("ws"), null, loops);
                CompletableFuture<NodeFrame> answer = new CompletableFuture<>();
                FrameLink link = HelloLinks.open(client, answer, new CompletableFuture<>());
                clients.add(client);
                links.add(link);
                answers.add(answer);
            }
            for (CompletableFuture<NodeFrame> answer : answers) {
                assertThat(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).hasChallenge()).isTrue();
            }
            assertThat(clientLoopThreads()).hasSizeLessThanOrEqualTo(SharedThreads.SIZE);
            assertThat(Thread.activeCount() - threadsBefore).as("threads started for " + CLIENTS + " links, the node's"
                    + " event loops included").isLessThan(CLIENTS / 2);

            links.forEach(FrameLink::close);
            clients.forEach(WebSocketLinks::close);
            await().atMost(WAIT).until(() -> node.connectionCount() == 0);
            await().atMost(WAIT).until(() -> loops.users() == 0 && clientLoopThreads().isEmpty());
        }
    }
}
