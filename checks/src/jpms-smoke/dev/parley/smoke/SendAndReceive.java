package dev.parley.smoke;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.DecodedMessage;
import dev.parley.Group;
import dev.parley.Identity;
import dev.parley.MessageStream;
import dev.parley.node.Node;

import java.time.Duration;
import java.util.List;

/**
 * Run by ModulePathSmokeTest on the module path: a node, two clients at inproc://, one group message sent and
 * streamed. Prints what the test checks; exits non-zero when nothing arrives.
 */
public final class SendAndReceive {
    private SendAndReceive() {
    }

    public static void main(String[] args) throws Exception {
        try (Node node = Node.builder().name("jpms-smoke").build().start();
             Client alice = client(node);
             Client bob = client(node);
             MessageStream<DecodedMessage> bobsMessages = bob.conversations().streamAllMessages()) {
            Group group = alice.conversations().newGroup(List.of(bob.inboxId()));
            group.send("hello over the module path");
            DecodedMessage received = bobsMessages.poll(Duration.ofSeconds(20))
                    .orElseThrow(() -> new IllegalStateException("nothing received within 20 s"));
            System.out.println("received: " + received.content());
            System.out.println("api module: " + Client.class.getModule().getName());
            System.out.println("client module: " + alice.getClass().getModule().getName());
            System.out.println("node module: " + Node.class.getModule().getName());
        }
    }

    private static Client client(Node node) {
        return Client.create(ClientOptions.builder().endpoint(node.endpoint("inproc").toString())
                .identity(Identity.generate()).build());
    }
}
