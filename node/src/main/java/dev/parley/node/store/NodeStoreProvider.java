package dev.parley.node.store;

import java.net.URI;

/**
 * Opens node stores of one URI scheme ({@code memory:}, {@code sqlite:<dir>}, ...), found with
 * {@link java.util.ServiceLoader} (register with {@code @AutoService(NodeStoreProvider.class)}) by
 * {@code Node.builder().store(URI)}.
 */
public interface NodeStoreProvider {
    String scheme();

    /**
     * Opens the store at {@code uri}, creating it when there is none.
     *
     * @throws StoreException when it cannot be opened: unreadable, corrupt or foreign data, a
     *                        directory that cannot be written
     */
    NodeStore open(URI uri);
}
