package dev.parley.node.store;

/**
 * Sequences of a conversation's log one membership of an inbox covers, both ends inclusive: from the
 * entry that made it a member (1 for the members at creation) to the entry that removed it (or that
 * it left by), {@link #OPEN} while it is a member.
 *
 * @param from the first sequence it reads, at least 1
 * @param to   the last sequence it reads, {@link #OPEN} while the membership lasts
 */
public record MemberSpan(long from, long to) {
    /** {@link #to} of a membership that has not ended. */
    public static final long OPEN = Long.MAX_VALUE;

    public MemberSpan {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("a member span is [from >= 1, to >= from], was [" + from + ", " + to + "]");
        }
    }

    /** A membership from {@code from} on, not ended. */
    public static MemberSpan openFrom(long from) {
        return new MemberSpan(from, OPEN);
    }

    public boolean isOpen() {
        return to == OPEN;
    }

    /** This membership, ended by the entry at {@code sequence} (the last it reads). */
    MemberSpan endedAt(long sequence) {
        return new MemberSpan(from, sequence);
    }
}
