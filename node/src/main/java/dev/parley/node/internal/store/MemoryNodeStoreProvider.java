package dev.parley.node.internal.store;

import com.google.auto.service.AutoService;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.NodeStoreProvider;

import java.net.URI;

/** {@code memory:}, the default store of an embedded node. */
@AutoService(NodeStoreProvider.class)
public final class MemoryNodeStoreProvider implements NodeStoreProvider {
    public static final String SCHEME = "memory";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public NodeStore open(URI uri) {
        return new MemoryNodeStore();
    }
}
