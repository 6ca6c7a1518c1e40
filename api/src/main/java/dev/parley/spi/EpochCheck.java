package dev.parley.spi;

/**
 * Decides whether a connection to a node may be used, given the epoch (history) the node serves.
 * A transport calls it after authenticating every connection; when it throws, the transport closes
 * that connection and fails the operation with what it threw.
 */
@FunctionalInterface
public interface EpochCheck {
    /** Accepts every node: for tools and tests that hold no cursors. */
    EpochCheck ANY = nodeEpoch -> { };

    /** @throws dev.parley.NodeResetException when the client's cursors belong to another epoch */
    void check(String nodeEpoch);
}
