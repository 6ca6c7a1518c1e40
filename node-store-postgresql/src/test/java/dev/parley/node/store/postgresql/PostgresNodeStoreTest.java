package dev.parley.node.store.postgresql;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.NodeStoreContract;
import dev.parley.node.store.NodeStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on PostgreSQL: each store a schema of its own in this class's database. */
class PostgresNodeStoreTest extends NodeStoreContract {
    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @Override
    protected NodeStore openFresh(NodeClock clock) {
        return PostgresNodeStore.open(PostgresSettings.from(database.freshStore()), clock);
    }
}
