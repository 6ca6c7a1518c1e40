package dev.parley.node.internal.session;

import dev.parley.node.internal.access.AccessPolicy;
import dev.parley.node.store.MemberSpan;
import dev.parley.node.store.NodeStore;
import dev.parley.spi.Envelope;

import java.util.List;
import java.util.Optional;

/**
 * Reads of a topic clipped to what one inbox may read of it (for a conversation: the spans it was a
 * member for), looked up afresh at every read. A cursor in a gap between spans goes on at the next
 * span's start; a page never crosses a span's end, so it stays contiguous. The range is looked up
 * again after the entries are read, and the page cut to it: an entry becomes readable only after the
 * directory knows the change it is ordered after (see {@link dev.parley.node.internal.access.ConversationDirectory}),
 * so a removal that raced the read still ends the page where it should.
 */
final class VisibleReads {
    private final NodeStore store;
    private final AccessPolicy policy;

    /**
     * @param envelopes the entries read, in order, contiguous
     * @param exhausted nothing after them (after the cursor, when there are none) is readable, now or
     *                  later: the inbox's last membership has ended and it has read all of it
     */
    record Page(List<Envelope> envelopes, boolean exhausted) {
    }

    VisibleReads(NodeStore store, AccessPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    /** Up to {@code limit} entries after {@code afterSequence} that {@code inboxId} may read, at most one frame's worth. */
    Page read(String inboxId, String topic, long afterSequence, int limit) {
        Optional<MemberSpan> range = policy.readableAfter(inboxId, topic, afterSequence);
        if (range.isEmpty()) {
            return new Page(List.of(), true);
        }
        long start = range.get().from() - 1;
        long width = range.get().to() - start;
        List<Envelope> read = FramedReads.read(store, topic, start, (int) Math.min(limit, width));
        if (read.isEmpty() || range.get().to() != MemberSpan.OPEN) {
            return new Page(read, endsVisible(inboxId, topic, read, range.get()));
        }
        // the membership may have ended while we read: cut the page where it did
        Optional<MemberSpan> now = policy.readableAfter(inboxId, topic, start).filter(r -> r.from() == start + 1);
        long end = now.map(MemberSpan::to).orElse(start);
        List<Envelope> visible = end >= read.get(read.size() - 1).sequence() ? read
                : read.stream().filter(e -> e.sequence() <= end).toList();
        return new Page(visible, now.isPresent() && endsVisible(inboxId, topic, visible, now.get()));
    }

    /** Whether {@code page} reached the end of an ended span after which the inbox has nothing. */
    private boolean endsVisible(String inboxId, String topic, List<Envelope> page, MemberSpan range) {
        if (range.isOpen() || page.isEmpty() || page.get(page.size() - 1).sequence() < range.to()) {
            return false;
        }
        return policy.readableAfter(inboxId, topic, range.to()).isEmpty();
    }
}
