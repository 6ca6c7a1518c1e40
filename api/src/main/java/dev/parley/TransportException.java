package dev.parley;

/** The connection to the node failed or a request over it could not complete. */
public class TransportException extends ParleyException {
    private final boolean retryable;

    public TransportException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public TransportException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True when the same operation may succeed on a new connection (reset, timeout, node going away). */
    public boolean isRetryable() {
        return retryable;
    }
}
