package dev.parley.transport.grpc;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.ProtocolException;
import dev.parley.node.Node;
import dev.parley.protocol.NodeFrame;
import dev.parley.tck.fuzz.ByteLink;
import dev.parley.transport.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gRPC message that is not a {@code ClientFrame} is refused like a bad WebSocket frame: an error
 * frame saying why, then the call closes with a status that is not an application error; the
 * session is gone and the node serves others. (Found by the fuzzing suite: grpc-java failed the call
 * with {@code UNKNOWN} and logged a stack trace for every such message.)
 */
@Timeout(30)
class MalformedFrameTest {
    @Test
    void aFrameThatDoesNotParseGetsAnErrorFrameAndAClose() throws Exception {
        try (Node node = Node.builder().name("malformed").listen("grpc://127.0.0.1:0").build().start();
             GrpcByteLinks links = new GrpcByteLinks()) {
            List<NodeFrame> received = new CopyOnWriteArrayList<>();
            CompletableFuture<ByteLink.Closed> closed = new CompletableFuture<>();
            ByteLink link = links.open(node.endpoint("grpc"), new ByteLink.Handler() {
                @Override
                public void onFrame(byte[] frame) {
                    try {
                        received.add(NodeFrame.parseFrom(frame));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }

                @Override
                public void onClosed(ByteLink.Closed how) {
                    closed.complete(how);
                }
            });
            link.send(new byte[] {(byte) 0xdd, (byte) 0xfa, 0x01}); // a field of wire type 5 cut short

            ByteLink.Closed how = closed.get(10, TimeUnit.SECONDS);
            assertThat(how.unexpected()).as("closed with %s", how.description()).isFalse();
            assertThat(how.description()).contains("UNAVAILABLE");
            assertThat(received).anySatisfy(f -> assertThat(Wire.fromWire(f.getError()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed frame"));
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> node.connectionCount() == 0);
            try (Client client = Client.create(ClientOptions.builder().endpoint(node.endpoint("grpc").toString())
                    .identity(Identity.generate()).build())) {
                assertThat(client.conversations().newGroup(List.of()).send("still here")).isNotBlank();
            }
        }
    }
}
