package dev.parley.node;

import java.nio.file.Path;

class NodeGroupsOnMemoryTest extends NodeGroupsContract {
    @Override
    Node.Builder withStore(Node.Builder builder, Path dir) {
        return builder.store("memory:");
    }
}
