package dev.parley.tck;

import dev.parley.node.Node;
import dev.parley.testing.Faults;

/** The in-process transport under the reliability suite: it has no socket, so the node drops its connections. */
class InProcessReliabilityTest extends ReliabilityContract {
    @Override
    protected String scheme() {
        return "inproc";
    }

    @Override
    protected String listenAddress() {
        return null;
    }

    @Override
    protected Faults faultsFor(Node node) {
        return Faults.byNodeDrops(node, scheme());
    }
}
