package dev.parley.benchmarks;

import dev.parley.Identity;
import dev.parley.internal.Topics;
import dev.parley.node.Node;
import dev.parley.spi.Transport;

import java.util.ArrayList;
import java.util.List;

/**
 * Bare authenticated publishers, each on a group of its own, publishing in turn with a bounded number
 * in flight: the load of the node-side publish benchmarks.
 */
final class Publishers implements AutoCloseable {
    private final List<Transport> clients = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private long key;

    /** Adds a publisher of a new inbox on {@code node} over {@code transport}, with a group of its own. */
    void add(Node node, String transport) throws InterruptedException {
        Transport client = Bench.transport(node, transport, Identity.generate());
        clients.add(client);
        topics.add(Topics.conversation(Bench.createGroups(client, List.of(), 1).get(0)));
    }

    /** {@code count} publishes of {@code payload}, round robin over the publishers, {@code window} in flight. */
    void publish(int count, int window, byte[] payload) throws Exception {
        Bench.pipelined(count, window, i -> {
            int p = i % clients.size();
            return clients.get(p).publish(topics.get(p), payload, "k" + key++);
        });
    }

    @Override
    public void close() {
        clients.forEach(Transport::close);
        clients.clear();
        topics.clear();
    }
}
