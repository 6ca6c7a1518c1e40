package dev.parley.node;

import dev.parley.node.store.postgresql.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/** Groups on nodes that keep their data in PostgreSQL (each node a schema of its own). */
class NodeGroupsOnPostgresTest extends NodeGroupsContract {
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
    Node.Builder withStore(Node.Builder builder, Path dir) {
        return builder.store(database.freshStore());
    }
}
