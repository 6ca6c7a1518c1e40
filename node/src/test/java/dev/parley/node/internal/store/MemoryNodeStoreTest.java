package dev.parley.node.internal.store;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.NodeStore;

class MemoryNodeStoreTest extends NodeStoreContract {
    @Override
    protected NodeStore openFresh(NodeClock clock) {
        return new MemoryNodeStore(clock);
    }
}
