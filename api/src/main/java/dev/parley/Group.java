package dev.parley;

/** A conversation of any number of members. */
public non-sealed interface Group extends Conversation {
    /** The name given at creation, empty when none. */
    String name();
}
