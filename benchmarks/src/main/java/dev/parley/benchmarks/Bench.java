package dev.parley.benchmarks;

import com.google.protobuf.ByteString;
import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.ContentTypeId;
import dev.parley.Identity;
import dev.parley.node.Node;
import dev.parley.protocol.MessagePayload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Set-up shared by the benchmarks: a node serving a transport, clients on it, payloads. */
final class Bench {
    private static final AtomicInteger NODES = new AtomicInteger();

    private Bench() {
    }

    /** A started node that serves {@code transport} ({@code inproc}, {@code grpc} or {@code ws}) on loopback. */
    static Node node(String transport) {
        Node.Builder builder = Node.builder().name("bench-" + NODES.incrementAndGet());
        if (!"inproc".equals(transport)) {
            builder.listen(transport + "://127.0.0.1:0");
        }
        return builder.build().start();
    }

    static Client client(Node node, String transport, Identity identity) {
        return Client.create(ClientOptions.builder().endpoint(node.endpoint(transport).toString())
                .identity(identity).build());
    }

    /** A text message payload whose content has {@code bytes} bytes, as the SDK publishes it. */
    static byte[] textPayload(int bytes) {
        char[] text = new char[bytes];
        Arrays.fill(text, 'x');
        return MessagePayload.newBuilder()
                .setContentType(ContentTypeId.TEXT.toString())
                .setContent(ByteString.copyFrom(new String(text).getBytes(StandardCharsets.UTF_8)))
                .build().toByteArray();
    }
}
