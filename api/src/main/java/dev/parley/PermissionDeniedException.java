package dev.parley;

/** The authenticated inbox may not read or write the topic it asked for. Not retryable. */
public class PermissionDeniedException extends ParleyException {
    public PermissionDeniedException(String message) {
        super(message);
    }
}
