package dev.parley.transport.inproc;

import dev.parley.TransportException;
import dev.parley.spi.node.NodeAccess;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The nodes of this JVM that serve {@code inproc://NAME}, by name. */
final class InProcessNodes {
    private static final ConcurrentMap<String, NodeAccess> NODES = new ConcurrentHashMap<>();

    private InProcessNodes() {
    }

    static void register(String name, NodeAccess node) {
        NodeAccess previous = NODES.putIfAbsent(name, node);
        if (previous != null && previous != node) {
            throw new IllegalStateException("a node named '" + name + "' is already running in this JVM");
        }
    }

    static void unregister(String name, NodeAccess node) {
        NODES.remove(name, node);
    }

    static NodeAccess find(String name) {
        NodeAccess node = NODES.get(name);
        if (node == null) {
            throw new TransportException("no node named '" + name + "' is running in this JVM", true);
        }
        return node;
    }
}
