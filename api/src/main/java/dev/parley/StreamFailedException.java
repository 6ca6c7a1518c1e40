package dev.parley;

/** A stream gave up: its retries are exhausted, retrying is off, or the failure cannot be retried. */
public class StreamFailedException extends ParleyException {
    private final int attempts;

    public StreamFailedException(int attempts, Throwable cause) {
        super("stream failed after " + attempts + " retry attempt(s): "
                + (cause == null ? "unknown cause" : cause.getMessage()), cause);
        this.attempts = attempts;
    }

    /** How many retry attempts were made before giving up. */
    public int attempts() {
        return attempts;
    }
}
