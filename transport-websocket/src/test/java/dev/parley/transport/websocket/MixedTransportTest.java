package dev.parley.transport.websocket;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.StreamOptions;
import dev.parley.node.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** gRPC and WebSocket clients in one conversation see the same messages in the same order. */
@Timeout(60)
class MixedTransportTest {
    @Test
    void grpcAndWebSocketClientsShareAConversationInOneOrder() throws Exception {
        try (Node node = Node.builder().name("mixed").listen("grpc://127.0.0.1:0").listen("ws://127.0.0.1:0")
                .build().start();
             Client onGrpc = Client.create(ClientOptions.builder().endpoint(node.endpoint("grpc").toString())
                     .identity(Identity.generate()).build());
             Client onWs = Client.create(ClientOptions.builder().endpoint(node.endpoint("ws").toString())
                     .identity(Identity.generate()).build())) {
            assertThat(node.endpoint("ws").getScheme()).isEqualTo("ws");
            int each = 100;
            List<String> seenByGrpc = new CopyOnWriteArrayList<>();
            List<String> seenByWs = new CopyOnWriteArrayList<>();
            try (MessageStream<DecodedMessage> a = onGrpc.conversations().streamAllMessages(
                         StreamOptions.<DecodedMessage>builder().onValue(m -> seenByGrpc.add((String) m.content())).build());
                 MessageStream<DecodedMessage> b = onWs.conversations().streamAllMessages(
                         StreamOptions.<DecodedMessage>builder().onValue(m -> seenByWs.add((String) m.content())).build())) {
                Group fromGrpc = onGrpc.conversations().newGroup(List.of(onWs.inboxId()));
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    onWs.conversations().sync();
                    return onWs.conversations().getConversationById(fromGrpc.id()).isPresent();
                });
                Group fromWs = (Group) onWs.conversations().getConversationById(fromGrpc.id()).orElseThrow();
                CompletableFuture<Void> grpcSends = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        fromGrpc.send("grpc-" + i);
                    }
                });
                CompletableFuture<Void> wsSends = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        fromWs.send("ws-" + i);
                    }
                });
                grpcSends.get(30, TimeUnit.SECONDS);
                wsSends.get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> seenByGrpc.size() == 2 * each && seenByWs.size() == 2 * each);
            }
            assertThat(seenByWs).isEqualTo(seenByGrpc);
            assertThat(seenByGrpc).filteredOn(s -> s.startsWith("ws-")).hasSize(each);
        }
    }
}
