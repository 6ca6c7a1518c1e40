package dev.parley.cli;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.ParleyException;
import dev.parley.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code parley demo}: the whole SDK in one story on an embedded node. Exit code 0 when nothing went wrong. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs a story on an embedded node (inproc://" + DemoCommand.NODE_NAME + "): alice, bob and carol.",
            "Bob streams new conversations and all messages, denies carol's spam DM",
            "and loses his connection midway; the summary shows that nothing was",
            "lost, duplicated or let through. Exit code 0 when all is well, else 1."})
final class DemoCommand implements Callable<Integer> {
    static final String NODE_NAME = "demo";
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

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
        try (Node node = Node.builder().name(NODE_NAME).build().start()) {
            console.say("node", "started; clients in this JVM reach it at %s", node.endpoint("inproc"));
            try (Client alice = connect(node); Client bob = connect(node); Client carol = connect(node)) {
                DemoStory story = new DemoStory(console, node, alice, bob, carol,
                        messages, spam, Duration.ofSeconds(timeoutSeconds));
                result = story.run();
                console.say("demo", "closing clients and node");
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

    private static Client connect(Node node) {
        return Client.create(ClientOptions.builder()
                .endpoint(node.endpoint("inproc"))
                .identity(Identity.generate())
                .heartbeatInterval(HEARTBEAT)
                .build());
    }
}
