/**
 * JDK-only helpers of Parley's own modules (provider lookup, duration checks, thread naming and
 * shutdown, wire limits); the API itself uses them, so they depend on nothing of Parley's. Not API:
 * the module descriptor exports this package only to Parley modules.
 */
package dev.parley.internal.util;
