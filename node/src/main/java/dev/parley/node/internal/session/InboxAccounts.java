package dev.parley.node.internal.session;

import dev.parley.TransportException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToLongFunction;

/**
 * What each inbox holds on this node under its limits: its open sessions and the payload bytes of its
 * publishes in flight; and the topics it may write. An inbox's {@link Account} is found once, when a session authenticates, and the
 * session keeps it, so a publish counts its bytes on that object (one uncontended lock) instead of in a
 * map. An account holding nothing is retired and forgotten, so inboxes that went away cost nothing; a
 * retired account takes nothing more (its sessions are all closed). Thread-safe.
 */
final class InboxAccounts {
    private final ConcurrentMap<String, Account> byInbox = new ConcurrentHashMap<>();

    /**
     * A topic an inbox may write, parsed: its kind ({@code conv/}, {@code prefs/}) and subject (the
     * conversation or inbox id), kept as one instance so a publish to it neither parses nor copies.
     */
    record WritableTopic(String topic, String kind, String subject) {
    }

    /**
     * One inbox's sessions and bytes in flight, shared by its sessions, and the topics it was found
     * allowed to write: an inbox may write a conversation it ever was a member of (whether it is one
     * now the store decides, with the sequence) and its own preferences, and that never changes, so the
     * access check of a publish runs once per topic. (A member added by a group change whose write then
     * failed may be remembered wrongly: the store still refuses its publishes, as not a member.)
     */
    static final class Account {
        private static final int MAX_WRITABLE_TOPICS = 1024;

        private final String inboxId;
        private final InboxAccounts accounts;
        private final ConcurrentMap<String, WritableTopic> writableTopics = new ConcurrentHashMap<>();
        // the last topic found in writableTopics: publishes come in runs to one topic, each with a new
        // string (decoded from a frame, or built by the caller), which equals() compares in a few
        // vector steps where the map's look-up would first hash it. Read and written without a lock:
        // a WritableTopic is immutable, so any instance seen is whole.
        private WritableTopic lastWritable;
        // guarded by this
        private int sessions;
        private long bytesInFlight;
        private boolean retired;

        private Account(String inboxId, InboxAccounts accounts) {
            this.inboxId = inboxId;
            this.accounts = accounts;
        }

        String inboxId() {
            return inboxId;
        }

        /** {@code topic} parsed, if {@link #foundWritable} was told of it; else {@code null}. */
        WritableTopic knownWritable(String topic) {
            WritableTopic last = lastWritable;
            if (last != null && last.topic().equals(topic)) {
                return last;
            }
            WritableTopic found = writableTopics.get(topic);
            if (found != null) {
                lastWritable = found;
            }
            return found;
        }

        /** The access check allowed this inbox to write {@code parsed.topic()} (remembered up to a bound). */
        void foundWritable(WritableTopic parsed) {
            if (writableTopics.size() < MAX_WRITABLE_TOPICS) {
                writableTopics.putIfAbsent(parsed.topic(), parsed);
            }
        }

        /**
         * Takes {@code bytes} in flight unless those already in flight, plus {@code stored} of the inbox
         * (read under this account's lock), plus {@code bytes} would exceed {@code max}.
         *
         * @return whether they were taken
         * @throws TransportException (retryable) every session of the inbox closed meanwhile
         */
        synchronized boolean tryTakeBytes(long bytes, long max, ToLongFunction<String> stored) {
            if (retired) {
                throw new TransportException("session closed", true);
            }
            if (bytesInFlight + stored.applyAsLong(inboxId) + bytes > max) {
                return false;
            }
            bytesInFlight += bytes;
            return true;
        }

        /** Gives back {@code bytes} taken by {@link #tryTakeBytes}. */
        synchronized void giveBackBytes(long bytes) {
            bytesInFlight -= bytes;
            retireIfIdle();
        }

        synchronized long bytesInFlight() {
            return bytesInFlight;
        }

        synchronized int sessions() {
            return sessions;
        }

        private synchronized void sessionEnded() {
            sessions--;
            retireIfIdle();
        }

        private void retireIfIdle() {
            if (sessions == 0 && bytesInFlight == 0 && !retired) {
                retired = true;
                accounts.byInbox.remove(inboxId, this);
            }
        }
    }

    /**
     * Opens a session of {@code inboxId}: its account, with one more session counted.
     *
     * @return the account, or {@code null} when the inbox has {@code maxSessions} open already
     */
    Account sessionStarted(String inboxId, int maxSessions) {
        while (true) {
            Account account = byInbox.computeIfAbsent(inboxId, id -> new Account(id, this));
            synchronized (account) {
                if (!account.retired) {
                    if (account.sessions >= maxSessions) {
                        account.retireIfIdle();
                        return null;
                    }
                    account.sessions++;
                    return account;
                }
            }
            byInbox.remove(inboxId, account); // retiring it removes it too; whoever comes first
        }
    }

    /** A session counted by {@link #sessionStarted} ended. */
    void sessionEnded(Account account) {
        account.sessionEnded();
    }

    /** The account of {@code inboxId} if it holds anything. */
    Account find(String inboxId) {
        return byInbox.get(inboxId);
    }
}
