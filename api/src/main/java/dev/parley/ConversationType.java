package dev.parley;

/** Group (any number of members) or DM (exactly two). */
public enum ConversationType {
    GROUP, DM
}
