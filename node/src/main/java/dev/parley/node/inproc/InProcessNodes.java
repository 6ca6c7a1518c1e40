package dev.parley.node.inproc;

import dev.parley.TransportException;
import dev.parley.spi.NodeAccess;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The started nodes of this JVM by name, for {@code inproc://NAME}. */
public final class InProcessNodes {
    private static final ConcurrentMap<String, NodeAccess> NODES = new ConcurrentHashMap<>();

    private InProcessNodes() {
    }

    public static void register(NodeAccess node) {
        NodeAccess previous = NODES.putIfAbsent(node.name(), node);
        if (previous != null && previous != node) {
            throw new IllegalStateException("a node named '" + node.name() + "' is already running in this JVM");
        }
    }

    public static void unregister(NodeAccess node) {
        NODES.remove(node.name(), node);
    }

    static NodeAccess find(String name) {
        NodeAccess node = NODES.get(name);
        if (node == null) {
            throw new TransportException("no node named '" + name + "' is running in this JVM", true);
        }
        return node;
    }
}
