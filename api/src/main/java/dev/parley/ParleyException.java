package dev.parley;

/** Root of every exception Parley throws. Unchecked. */
public class ParleyException extends RuntimeException {
    public ParleyException(String message) {
        super(message);
    }

    public ParleyException(String message, Throwable cause) {
        super(message, cause);
    }
}
