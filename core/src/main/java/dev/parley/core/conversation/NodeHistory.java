package dev.parley.core.conversation;

import dev.parley.NodeResetException;
import dev.parley.core.store.MessageStore;
import dev.parley.spi.EpochCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node history (epoch) the client's store belongs to. As the transports' {@link EpochCheck}
 * it lets a connection through only to a node serving that history; a new store takes the history
 * of the first node it meets. When a node's log was replaced, {@link #adopt} makes the store forget
 * the old history so that nothing of the new one is taken for a duplicate. Thread-safe (the store's
 * {@link MessageStore#adoptEpoch} is atomic).
 */
public final class NodeHistory implements EpochCheck {
    private static final Logger log = LoggerFactory.getLogger(NodeHistory.class);

    private final MessageStore store;

    public NodeHistory(MessageStore store) {
        this.store = store;
    }

    /** The epoch the store's cursors belong to; empty before the first connection. */
    public String epoch() {
        return store.followedEpoch();
    }

    /** @throws NodeResetException when the store's cursors belong to another history than {@code nodeEpoch} */
    @Override
    public void check(String nodeEpoch) {
        if (nodeEpoch.isEmpty()) {
            return; // a node that names no history: nothing to compare
        }
        String known = epoch();
        if (known.isEmpty()) {
            store.adoptEpoch(nodeEpoch);
        } else if (!known.equals(nodeEpoch)) {
            throw new NodeResetException(known, nodeEpoch);
        }
    }

    /** Follows the node's new history {@code nodeEpoch}; the store forgets the old one (once, whoever calls first). */
    public void adopt(String nodeEpoch) {
        String old = epoch();
        if (store.adoptEpoch(nodeEpoch)) {
            log.warn("the node's history changed (epoch {} is gone, it serves {}): the local store dropped the "
                    + "conversations, messages and cursors of the old history and resyncs", old, nodeEpoch);
        }
    }
}
