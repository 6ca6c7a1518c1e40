package dev.parley;

/** A request, frame or payload is malformed or violates the protocol (bad topic, bad option, undecodable bytes). */
public class ProtocolException extends ParleyException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
