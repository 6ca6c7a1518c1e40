package dev.parley.tck;

import dev.parley.node.Node;
import dev.parley.spi.node.NodeLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the TCK suites share: the transport under test is named by its scheme, and every test gets
 * a fresh {@link #node} listening on {@link #listenAddress()}. The rules the suites check are in
 * {@code RULES.md} of this module; each test is named after its rule.
 */
public abstract class TransportSuite {
    private static final AtomicInteger NODES = new AtomicInteger();

    protected Node node;

    /** The URI scheme of the transport under test. */
    protected abstract String scheme();

    /** What the node listens on for this transport; {@code null} when it needs no endpoint (inproc). */
    protected String listenAddress() {
        return scheme() + "://127.0.0.1:0";
    }

    @BeforeEach
    void startNode() {
        node = startNode("tck-" + scheme() + "-" + NODES.incrementAndGet(), listenAddress(), NodeLimits.DEFAULTS);
    }

    /**
     * Closes the node and starts one with an empty log (a new epoch) at the same address: a node
     * whose data was wiped, as its clients see it.
     */
    protected void replaceNodeWithAnEmptyOne() {
        String address = listenAddress() == null ? null : node.endpoint(scheme()).toString();
        node.close();
        node = startNode(node.name(), address, node.limits());
    }

    /** Closes the node and starts a fresh one (an empty log; a new port for sockets) that enforces {@code limits}. */
    protected void replaceNodeWith(NodeLimits limits) {
        node.close();
        node = startNode(node.name(), listenAddress(), limits);
    }

    private static Node startNode(String name, String address, NodeLimits limits) {
        Node.Builder builder = Node.builder().name(name).limits(limits);
        if (address != null) {
            builder.listen(address);
        }
        return builder.build().start();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }
}
