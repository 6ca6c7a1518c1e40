package dev.parley.testing;

import dev.parley.node.Node;

import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** {@link Faults} by the node ending the victim's sessions: for links that cannot reset or go silent. */
final class NodeDropFaults implements Faults {
    private final Node node;
    private final String scheme;

    NodeDropFaults(Node node, String scheme) {
        this.node = Objects.requireNonNull(node, "node");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
    }

    @Override
    public Set<Fault> supported() {
        return EnumSet.of(Fault.NODE_DROP);
    }

    @Override
    public URI endpoint() {
        return node.endpoint(scheme);
    }

    @Override
    public void inject(Fault fault, String victimInboxId) {
        Objects.requireNonNull(victimInboxId, "victimInboxId");
        if (fault != Fault.NODE_DROP) {
            throw fault.notSupportedBy(this);
        }
        node.dropConnections(victimInboxId);
    }

    @Override
    public void resume() {
        // a dropped connection leaves nothing to resume: the client reconnects by itself
    }

    @Override
    public void close() {
        // the node belongs to the caller
    }

    @Override
    public String toString() {
        return "node drops on " + node.name() + " (" + scheme + ")";
    }
}
