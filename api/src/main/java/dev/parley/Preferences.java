package dev.parley;

/** Private preferences of this inbox, shared by its installations. */
public interface Preferences {
    /** Consent state of a conversation (UNKNOWN when never decided and not created by this inbox). */
    ConsentState consentState(String conversationId);

    /** Consent changes made by any installation of this inbox. */
    MessageStream<ConsentRecord> streamConsent(StreamOptions<ConsentRecord> options);

    default MessageStream<ConsentRecord> streamConsent() {
        return streamConsent(StreamOptions.<ConsentRecord>builder().build());
    }
}
