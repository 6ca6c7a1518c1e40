/** The names of the node's Micrometer meters ({@link dev.parley.node.metrics.NodeMeters}). */
package dev.parley.node.metrics;
