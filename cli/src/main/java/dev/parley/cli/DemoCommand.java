package dev.parley.cli;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.ParleyException;
import dev.parley.node.Node;
import dev.parley.testing.FaultProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code parley demo}: the whole SDK in one story on an embedded node. Exit code 0 when nothing went wrong. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs a story on an embedded node named '" + DemoCommand.NODE_NAME + "': alice, bob and carol.",
            "Bob streams new conversations and all messages, denies carol's spam DM",
            "and loses his connection midway; the summary shows that nothing was",
            "lost, duplicated or let through. Exit code 0 when all is well, else 1.",
            "With --transport grpc (the default) or ws the node serves that protocol on",
            "a free port of 127.0.0.1 and bob connects through a TCP proxy that resets his",
            "connection with a real TCP RST. With --transport inproc everyone stays",
            "in this JVM and the node drops bob's connection."})
final class DemoCommand implements Callable<Integer> {
    static final String NODE_NAME = "demo";
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** Bob's requests give up soon after a reset, so the demo never hangs on a dead connection. */
    private static final Duration BOB_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** How the demo's clients reach its node. */
    enum Transport {
        grpc, ws, inproc;

        boolean networked() {
            return this != inproc;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--transport"}, paramLabel = "TRANSPORT", defaultValue = "grpc",
            description = "How the clients reach the node: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = {"-n", "--messages"}, paramLabel = "N", defaultValue = "5",
            description = "Group messages sent by each of alice and carol (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--spam", paramLabel = "N", defaultValue = "3",
            description = "Spam messages carol sends to bob after he denied her DM (default: ${DEFAULT-VALUE}).")
    int spam;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for bob to receive every message (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (messages < 1 || spam < 0 || timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--messages must be at least 1, --spam at least 0 and --timeout at least 1");
        }
        Console console = new Console(spec.commandLine().getOut());
        DemoResult result;
        Node.Builder builder = Node.builder().name(NODE_NAME);
        if (transport.networked()) {
            builder.listen(transport + "://127.0.0.1:0");
        }
        try (Node node = builder.build().start()) {
            URI direct = node.endpoint(transport.toString());
            console.say("node", "started; serving %s", direct);
            try (FaultProxy proxy = transport.networked() ? FaultProxy.start(direct) : null) {
                URI bobsEndpoint = proxy == null ? direct : proxy.uri(transport.toString());
                if (proxy != null) {
                    console.say("net", "fault proxy %s -> %s in front of the node, for bob", bobsEndpoint, direct);
                }
                try (Client alice = connect(direct, false);
                     Client bob = connect(bobsEndpoint, true);
                     Client carol = connect(direct, false);
                     Client dave = connect(direct, false)) {
                    DemoStory.Fault fault = proxy == null
                            ? new DemoStory.Fault("node", "dropConnections(bob) - cutting every connection of bob's inbox",
                                    () -> node.dropConnections(bob.inboxId()))
                            : new DemoStory.Fault("net", "resetting bob's TCP connection (RST through the fault proxy)",
                                    proxy::resetAll);
                    DemoStory story = new DemoStory(console, fault, alice, bob, carol, dave,
                            direct, bobsEndpoint, messages, spam, Duration.ofSeconds(timeoutSeconds));
                    result = story.run();
                    console.say("demo", "closing clients%s and node", proxy == null ? "" : ", proxy");
                }
            }
        } catch (ParleyException | IllegalStateException e) {
            console.say("demo", "FAILED: %s", Console.describe(e));
            spec.commandLine().getErr().println("parley demo: " + Console.describe(e));
            return 1;
        }
        console.say("node", "closed");
        result.print(console);
        return result.ok() ? 0 : 1;
    }

    private static Client connect(URI endpoint, boolean bob) {
        ClientOptions.Builder options = ClientOptions.builder()
                .endpoint(endpoint)
                .identity(Identity.generate())
                .heartbeatInterval(HEARTBEAT);
        if (bob) {
            options.requestTimeout(BOB_REQUEST_TIMEOUT);
        }
        return Client.create(options.build());
    }
}
