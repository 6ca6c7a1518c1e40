package dev.parley.cli;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps grpc-java and Netty quiet on the console: they log through java.util.logging and, for
 * example, a WARNING with a stack trace ("Stream Error ... Stream closed before write could take
 * place") whenever a connection with a live stream goes away, which the demo does on purpose and
 * a node does when it stops. The CLI tells that story itself, so only SEVERE gets through.
 * Skipped when the user configures logging ({@code -Djava.util.logging.config.file=...} or
 * {@code -Djava.util.logging.config.class=...}).
 */
final class QuietLogging {
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("io.grpc"), Logger.getLogger("io.netty"));

    private QuietLogging() {
    }

    static void install() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        QUIETED.forEach(logger -> logger.setLevel(Level.SEVERE));
    }
}
