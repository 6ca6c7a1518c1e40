package dev.parley.cli;

import dev.parley.DecodedMessage;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** What one stream received: distinct messages per conversation and duplicates. Thread-safe. */
final class MessageTally {
    private final Set<String> seenIds = new HashSet<>();
    private final Map<String, Integer> perConversation = new HashMap<>();
    private int duplicates;

    /**
     * Records a message and tells {@code announce} whether it is new (false: a duplicate) before any
     * waiter hears of it, so what the announcement prints comes before what the waiter prints.
     */
    synchronized void record(DecodedMessage message, Consumer<Boolean> announce) {
        boolean first = seenIds.add(message.id());
        if (first) {
            perConversation.merge(message.conversationId(), 1, Integer::sum);
        } else {
            duplicates++;
        }
        announce.accept(first);
        notifyAll();
    }

    /**
     * Waits until {@code expected} distinct messages of a conversation arrived or the deadline
     * ({@link System#nanoTime()}) passed; true if they all arrived.
     */
    synchronized boolean awaitReceived(String conversationId, int expected, long deadlineNanos)
            throws InterruptedException {
        while (received(conversationId) < expected) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized boolean contains(String messageId) {
        return seenIds.contains(messageId);
    }

    /** Distinct messages received in one conversation. */
    synchronized int received(String conversationId) {
        return perConversation.getOrDefault(conversationId, 0);
    }

    synchronized int duplicates() {
        return duplicates;
    }
}
