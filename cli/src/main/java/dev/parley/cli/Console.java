package dev.parley.cli;

import java.io.PrintWriter;

/**
 * Prints story lines with the time since the start and who speaks, e.g.
 * {@code +0.412s [bob] onRetry(1/10)}. Safe to call from stream callbacks on any thread.
 */
final class Console {
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();

    Console(PrintWriter out) {
        this.out = out;
    }

    void say(String who, String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        synchronized (out) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            out.printf("+%.3fs [%s] %s%n", seconds, who, text);
            out.flush();
        }
    }

    /** A line without time or speaker (headings, the summary). */
    void line(String format, Object... args) {
        synchronized (out) {
            out.println(args.length == 0 ? format : String.format(format, args));
            out.flush();
        }
    }

    /** A short form of a long hex id. */
    static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }

    /** One-line description of an error for the story. */
    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
