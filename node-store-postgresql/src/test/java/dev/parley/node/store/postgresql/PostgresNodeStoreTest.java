package dev.parley.node.store.postgresql;

import dev.parley.node.internal.log.NodeClock;
import dev.parley.node.internal.store.NodeStoreContract;
import dev.parley.node.store.NodeStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on PostgreSQL: each store a schema of its own in this class's database. */
class PostgresNodeStoreTest extends NodeStoreContract {
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected NodeStore openFresh(NodeClock clock) {
        return PostgresNodeStore.open(PostgresSettings.from(database.freshStore()), clock);
    }
}
