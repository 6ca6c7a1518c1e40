/**
 * The node's storage SPI: a {@link dev.parley.node.store.NodeStore} keeps topic logs, idempotency
 * keys, the conversation directory (members by sequence: {@link dev.parley.node.store.ConversationEntry},
 * {@link dev.parley.node.store.MemberSpan}) and the epoch, and writes conversations atomically with
 * their membership ({@link dev.parley.node.store.NodeStore#appendToConversation},
 * {@link dev.parley.node.store.ConversationChange}); a {@link dev.parley.node.store.NodeStoreProvider}
 * opens stores of one URI scheme. Built in: {@code memory:} and {@code sqlite:<dir>}.
 */
package dev.parley.node.store;
