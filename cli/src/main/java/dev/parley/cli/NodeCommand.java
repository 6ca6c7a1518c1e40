package dev.parley.cli;

import dev.parley.ParleyException;
import dev.parley.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code parley node}: a standalone node that runs until interrupted (Ctrl-C). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {
            "Runs a standalone Parley node until interrupted (Ctrl-C).",
            "Each --listen address needs a transport module for its scheme on the class path.",
            "Exit code 2 when the node cannot start."})
final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "URI", arity = "1..*",
            description = "Endpoint to serve, e.g. grpc://127.0.0.1:5556 or ws://0.0.0.0:5557 (port 0 picks one). "
                    + "Without it the node is reachable only in this JVM, at inproc://NAME.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "parley",
            description = "Name of the node (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Node node;
        try {
            Node.Builder builder = Node.builder().name(name);
            listen.forEach(builder::listen);
            node = builder.build().start();
        } catch (ParleyException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            err.println("parley node: cannot start node '" + name + "': " + e.getMessage());
            err.flush();
            return 2;
        }
        Runnable stop = () -> {
            node.close();
            out.println("node " + name + " stopped");
            out.flush();
        };
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            closed.countDown();
        }, "parley-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("node " + name + " running; endpoints:");
        for (URI endpoint : endpoints(node)) {
            out.println("  " + endpoint);
        }
        out.println("press Ctrl-C to stop");
        out.flush();
        try {
            closed.await();
            return 0;
        } catch (InterruptedException e) {
            // interrupted in this JVM (not by a signal): stop the node ourselves
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running anyway
            }
            stop.run();
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Set<URI> endpoints(Node node) {
        Set<URI> endpoints = new LinkedHashSet<>();
        endpoints.add(node.endpoint("inproc"));
        for (String uri : listen) {
            endpoints.add(node.endpoint(URI.create(uri).getScheme()));
        }
        return endpoints;
    }
}
