package dev.parley;

/** Life cycle of a {@link MessageStream}. ENDED and FAILED are final. */
public enum StreamState {
    CONNECTING, LIVE, RETRYING, ENDED, FAILED;

    public boolean isFinal() {
        return this == ENDED || this == FAILED;
    }
}
