/**
 * Helpers shared by Parley's own modules (topic names, failure mapping, provider lookup, thread
 * naming). Not API: it may change in any release, and the module descriptor exports it only to
 * Parley modules.
 */
package dev.parley.internal;
