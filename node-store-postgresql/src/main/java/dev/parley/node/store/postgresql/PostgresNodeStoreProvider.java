package dev.parley.node.store.postgresql;

import com.google.auto.service.AutoService;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.NodeStoreProvider;

import java.net.URI;

/**
 * {@code postgresql://[user[:password]@]host[:port]/database[?schema=...&poolSize=...]}: a store in
 * PostgreSQL that several nodes share (see {@link PostgresSettings} for the parameters).
 */
@AutoService(NodeStoreProvider.class)
public final class PostgresNodeStoreProvider implements NodeStoreProvider {
    public static final String SCHEME = "postgresql";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public NodeStore open(URI uri) {
        return PostgresNodeStore.open(PostgresSettings.from(uri), new NodeClock());
    }
}
