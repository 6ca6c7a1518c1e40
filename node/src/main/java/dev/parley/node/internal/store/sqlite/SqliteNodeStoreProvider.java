package dev.parley.node.internal.store.sqlite;

import com.google.auto.service.AutoService;
import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.store.NodeStore;
import dev.parley.node.store.NodeStoreProvider;

import java.net.URI;
import java.nio.file.Path;

/** {@code sqlite:<dir>}: a durable store in one SQLite database in {@code dir} (created if missing). */
@AutoService(NodeStoreProvider.class)
public final class SqliteNodeStoreProvider implements NodeStoreProvider {
    public static final String SCHEME = "sqlite";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public NodeStore open(URI uri) {
        String path = uri.getSchemeSpecificPart();
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("sqlite store needs a directory, e.g. sqlite:/var/lib/parley, was " + uri);
        }
        return SqliteNodeStore.open(Path.of(path), new NodeClock());
    }
}
