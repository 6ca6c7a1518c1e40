/**
 * The node-side service provider interfaces: an {@link dev.parley.spi.node.EndpointProvider}
 * lets a node listen on a scheme; the endpoint turns each accepted connection into a
 * {@link dev.parley.spi.node.NodeSession} of the {@link dev.parley.spi.node.NodeAccess} it serves.
 * Endpoint modules depend on this package only, never on the node's implementation.
 */
package dev.parley.spi.node;
