/**
 * The node's storage SPI: a {@link dev.parley.node.store.NodeStore} keeps topic logs, idempotency
 * keys, the conversation directory and the epoch; a {@link dev.parley.node.store.NodeStoreProvider}
 * opens stores of one URI scheme. Built in: {@code memory:} and {@code sqlite:<dir>}.
 */
package dev.parley.node.store;
