package dev.parley;

/** Whether the user wants a conversation: streams filter on it, DENIED messages are never stored. */
public enum ConsentState {
    ALLOWED, UNKNOWN, DENIED
}
