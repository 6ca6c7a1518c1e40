/**
 * Helpers of Parley's own modules over API and SPI types (topic names, failure mapping). Not API:
 * it may change in any release, and the module descriptor exports it only to Parley modules.
 */
package dev.parley.internal;
