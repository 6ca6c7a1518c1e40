/**
 * The node store on PostgreSQL ({@code postgresql://host:port/db}), shared by several nodes: see
 * {@link dev.parley.node.store.postgresql.PostgresNodeStore}; opened by
 * {@link dev.parley.node.store.postgresql.PostgresNodeStoreProvider} (found with {@link java.util.ServiceLoader}).
 */
package dev.parley.node.store.postgresql;
