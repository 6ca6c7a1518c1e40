package dev.parley.core;

import dev.parley.Client;
import dev.parley.ClientOptions;
import dev.parley.Identity;
import dev.parley.node.Node;
import dev.parley.spi.node.NodeLimits;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** A fresh node per test, reached over inproc://, and the clients a test makes, all closed after it. */
public final class TestNode implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Node node;
    private final List<Client> clients = new ArrayList<>();
    private Duration heartbeat = Duration.ofSeconds(15);
    private NodeLimits limits = NodeLimits.DEFAULTS;

    public TestNode heartbeat(Duration interval) {
        this.heartbeat = interval;
        return this;
    }

    /** The limits the node enforces (default: {@link NodeLimits#DEFAULTS}). */
    public TestNode limits(NodeLimits nodeLimits) {
        this.limits = nodeLimits;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        node = Node.builder().name("test-" + COUNTER.incrementAndGet()).limits(limits).build().start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.forEach(Client::close);
        clients.clear();
        node.close();
    }

    public Node node() {
        return node;
    }

    public String endpoint() {
        return node.endpoint("inproc").toString();
    }

    public Client client() {
        return client(Identity.generate());
    }

    public Client client(Identity identity) {
        return client(identity, options -> options);
    }

    /** A client with more options (a database, a cache bound); closed after the test unless closed before. */
    public Client client(Identity identity, UnaryOperator<ClientOptions.Builder> options) {
        Client client = Client.create(options.apply(ClientOptions.builder()
                .endpoint(endpoint())
                .identity(identity)
                .heartbeatInterval(heartbeat))
                .build());
        clients.add(client);
        return client;
    }
}
