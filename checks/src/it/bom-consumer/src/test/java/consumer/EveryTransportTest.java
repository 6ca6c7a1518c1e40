package consumer;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.node.Node;
import dev.parley.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user of the BOM writes: an embedded node serving gRPC and WebSocket, and clients over gRPC,
 * WebSocket (through a fault proxy) and in-process in one group, all resolved without a version.
 */
@Timeout(60)
class EveryTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aGroupMessageFromGrpcReachesWebSocketAndInProcessStreams() throws Exception {
        try (Node node = Node.builder().name("bom-consumer")
                .listen("grpc://127.0.0.1:0").listen("ws://127.0.0.1:0").build().start();
             FaultProxy proxy = FaultProxy.start(node.endpoint("ws"));
             Client overGrpc = client(node.endpoint("grpc").toString());
             Client overWebSocket = client(proxy.uri("ws").toString());
             Client inProcess = client("inproc://bom-consumer");
             MessageStream<DecodedMessage> webSocketStream = overWebSocket.conversations().streamAllMessages();
             MessageStream<DecodedMessage> inProcessStream = inProcess.conversations().streamAllMessages()) {

            Group group = overGrpc.conversations().newGroup(List.of(overWebSocket.inboxId(), inProcess.inboxId()));
            String id = group.send("hello from grpc");

            for (MessageStream<DecodedMessage> stream : List.of(webSocketStream, inProcessStream)) {
                DecodedMessage received = stream.poll(WAIT).orElseThrow(() -> new AssertionError("nothing received"));
                assertEquals(id, received.id());
                assertEquals("hello from grpc", received.content());
                assertEquals(overGrpc.inboxId(), received.senderInboxId());
            }
            assertTrue(proxy.accepted() > 0, "the WebSocket client went through the proxy");
        }
    }

    private static Client client(String endpoint) {
        return Client.create(ClientOptions.builder().endpoint(endpoint).identity(Identity.generate()).build());
    }
}
