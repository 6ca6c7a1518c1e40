package dev.parley;

/** The node rejected this client's identity (bad signature, malformed key). Not retryable. */
public class AuthenticationException extends ParleyException {
    public AuthenticationException(String message) {
        super(message);
    }
}
