package dev.parley.node;

import dev.parley.spi.node.NodeAccess;
import dev.parley.spi.node.NodeHealth;
import dev.parley.spi.node.NodeLimits;
import dev.parley.spi.node.NodeSession;
import dev.parley.spi.node.NodeTls;

import java.util.Optional;

/** The node as the endpoint of one scheme sees it: its sessions count under that transport. */
final class EndpointAccess implements NodeAccess {
    private final Node node;
    private final String transport;

    EndpointAccess(Node node, String transport) {
        this.node = node;
        this.transport = transport;
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public String epoch() {
        return node.epoch();
    }

    @Override
    public NodeSession openSession(String remoteAddress, byte[] channelBinding) {
        return node.openSession(remoteAddress, channelBinding, transport);
    }

    @Override
    public Optional<NodeTls> tls() {
        return node.tls();
    }

    @Override
    public NodeLimits limits() {
        return node.limits();
    }

    @Override
    public void outboundQueued(long bytes) {
        node.outboundQueued(bytes);
    }

    @Override
    public NodeHealth health() {
        return node.health();
    }
}
