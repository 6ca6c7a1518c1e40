package dev.parley.testing;

import dev.parley.node.Node;

import java.net.URI;
import java.util.Set;

/**
 * Connection faults between clients and a node, injected the same way whatever the transport, for
 * the transport TCK and for an application's own tests.
 * <pre>{@code
 * try (Faults faults = Faults.throughProxy(node.endpoint("grpc"))) {
 *     Client bob = Client.create(ClientOptions.builder().endpoint(faults.endpoint())...build());
 *     faults.inject(Fault.STALL, bob.inboxId());   // bob's link goes silent
 *     ...
 *     faults.resume();
 * }
 * }</pre>
 * Clients that should suffer the faults connect to {@link #endpoint()}; the others connect to the
 * node directly.
 */
public interface Faults extends AutoCloseable {

    /**
     * Faults through a {@link FaultProxy} started in front of {@code nodeEndpoint} (a socket
     * endpoint such as {@code grpc://127.0.0.1:5556}): {@link Fault#RESET}, {@link Fault#CUT_MID_FRAME},
     * {@link Fault#STALL}, {@link Fault#SLOW} and {@link Fault#BLACKHOLE}. A proxy cannot tell inboxes apart: a fault hits
     * every connection it carries.
     */
    static Faults throughProxy(URI nodeEndpoint) {
        return new ProxyFaults(nodeEndpoint);
    }

    /**
     * Faults by the node dropping connections ({@link Fault#NODE_DROP}), for links that have no socket
     * to misbehave, such as {@code inproc}. Clients use the node's endpoint of {@code scheme}.
     */
    static Faults byNodeDrops(Node node, String scheme) {
        return new NodeDropFaults(node, scheme);
    }

    /** The kinds of fault this can inject, in declaration order. */
    Set<Fault> supported();

    /** Whether {@link #inject} can inject {@code fault}. */
    default boolean supports(Fault fault) {
        return supported().contains(fault);
    }

    /** Where clients that should suffer the faults connect to. */
    URI endpoint();

    /**
     * Injects {@code fault} into the connections of {@code victimInboxId} (a proxy hits all of its
     * connections). A {@link Fault#STALL} or {@link Fault#SLOW} lasts until {@link #resume()}; a
     * {@link Fault#BLACKHOLE} silences the connections open now for good.
     *
     * @throws UnsupportedOperationException if {@code fault} is not {@linkplain #supported() supported}
     */
    void inject(Fault fault, String victimInboxId);

    /** Ends a stall or a slowdown: held bytes flow again. Does nothing when none is under way. */
    void resume();

    /** Stops injecting and frees what this started (the proxy and its connections); never the node. */
    @Override
    void close();
}
