package dev.parley.spi.node;

/** What an endpoint needs from a node: its name and a session per accepted connection. */
public interface NodeAccess {
    String name();

    /** A new unauthenticated session; {@code remoteAddress} is for logs. */
    NodeSession openSession(String remoteAddress);
}
