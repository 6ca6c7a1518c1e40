package dev.parley.tck.fuzz;

import dev.parley.protocol.NodeFrame;

/**
 * One frame a hostile node sends: {@code frame} with the request id of what it answers (or, with
 * {@code ownId}, the id it was generated with), or {@code raw} bytes when not null.
 */
public record Reply(NodeFrame frame, boolean ownId, byte[] raw) {
    /** Not a frame: the node closes the connection. */
    static final Reply CLOSE = new Reply(null, false, null);
    /** Not a frame: the node does not answer. */
    static final Reply SILENCE = new Reply(null, true, null);

    static Reply answer(NodeFrame.Builder frame) {
        return new Reply(frame.build(), false, null);
    }

    byte[] bytes(long requestId) {
        if (raw != null) {
            return raw.clone();
        }
        return ownId ? frame.toByteArray() : frame.toBuilder().setRequestId(requestId).build().toByteArray();
    }

    @Override
    public String toString() {
        if (this == CLOSE || this == SILENCE) {
            return this == CLOSE ? "close" : "silence";
        }
        return raw != null ? raw.length + " random bytes"
                : (ownId ? "" : "(as answer) ") + frame.toString().replace('\n', ' ');
    }
}
