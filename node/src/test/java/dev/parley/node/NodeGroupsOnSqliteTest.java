package dev.parley.node;

import java.nio.file.Path;

class NodeGroupsOnSqliteTest extends NodeGroupsContract {
    @Override
    Node.Builder withStore(Node.Builder builder, Path dir) {
        return builder.dataDir(dir);
    }
}
