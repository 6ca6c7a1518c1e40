package dev.parley.node;

import dev.parley.node.store.postgresql.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/** Groups on nodes that keep their data in PostgreSQL (each node a schema of its own). */
class NodeGroupsOnPostgresTest extends NodeGroupsContract {
    @RegisterExtension
    static final TestDatabase database = new TestDatabase();

    @Override
    Node.Builder withStore(Node.Builder builder, Path dir) {
        return builder.store(database.freshStore());
    }
}
