package dev.parley.node.store;

/**
 * Sequences of a conversation's log one membership of an inbox covers, both ends inclusive: from the
 * group update that made it a member ({@link #FROM_CREATION} for the members at creation, who stand
 * longer than anyone added later and read from the first entry on) to the entry that removed it (or
 * that it left by), {@link #OPEN} while it is a member.
 *
 * @param from the group update that made it a member, or {@link #FROM_CREATION}
 * @param to   the last sequence it reads, {@link #OPEN} while the membership lasts
 */
public record MemberSpan(long from, long to) {
    /** {@link #from} of the members at creation: before the first entry (as {@code Welcome.joined_at_sequence}). */
    public static final long FROM_CREATION = 0;
    /** {@link #to} of a membership that has not ended. */
    public static final long OPEN = Long.MAX_VALUE;

    public MemberSpan {
        if (from < FROM_CREATION || to < from) {
            throw new IllegalArgumentException("a member span is [from >= 0, to >= from], was [" + from + ", " + to + "]");
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
