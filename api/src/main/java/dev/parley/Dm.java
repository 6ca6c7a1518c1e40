package dev.parley;

/** A conversation between exactly two inboxes. */
public non-sealed interface Dm extends Conversation {
    /** The other member. */
    String peerInboxId();
}
