package dev.parley.internal;

import dev.parley.ParleyException;
import dev.parley.TransportException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What the failure of an asynchronous operation means, as a Parley exception. */
public final class Failures {
    private Failures() {
    }

    /** The cause behind future wrappers ({@link CompletionException}, {@link ExecutionException}). */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The Parley exception behind a failure; anything else is a retryable {@link TransportException}. */
    public static ParleyException asParley(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ParleyException parley ? parley
                : new TransportException(String.valueOf(cause.getMessage()), true, cause);
    }
}
