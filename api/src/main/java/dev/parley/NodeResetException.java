package dev.parley;

/**
 * The node serves another history than the one the client's cursors point into: its log was
 * replaced by an empty one (its epoch changed) and its sequences started again at 1. The client
 * drops its cursors of the old history, reports {@link HistoryLost.Reason#NODE_RESET} on its
 * streams and resyncs; retrying the same operation with the same expectation fails again.
 */
public class NodeResetException extends TransportException {
    private final String expectedEpoch;
    private final String nodeEpoch;

    public NodeResetException(String expectedEpoch, String nodeEpoch) {
        super("the node's history changed (epoch " + expectedEpoch + " is gone, the node serves " + nodeEpoch
                + "): cursors of the old history are dropped", false);
        this.expectedEpoch = expectedEpoch;
        this.nodeEpoch = nodeEpoch;
    }

    /** The epoch the client's cursors belong to. */
    public String expectedEpoch() {
        return expectedEpoch;
    }

    /** The epoch the node serves now. */
    public String nodeEpoch() {
        return nodeEpoch;
    }
}
