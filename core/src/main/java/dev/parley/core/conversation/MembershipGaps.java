package dev.parley.core.conversation;

import dev.parley.core.store.MessageStore;
import dev.parley.internal.Topics;

/**
 * Tells a gap in a conversation's sequences that membership made (this inbox was removed, then
 * added again: the node serves nothing in between) from history the node no longer keeps.
 */
final class MembershipGaps {
    private MembershipGaps() {
    }

    /**
     * True when the entry at {@code sequence} of {@code topic} is the group update that (as the
     * welcome back said) added this inbox again: what lies before it since the removal was never ours.
     */
    static boolean endsAt(MessageStore store, String topic, long sequence) {
        return Topics.kind(topic).equals(Topics.CONVERSATION)
                && store.conversation(Topics.subject(topic)).map(c -> c.stateSequence() == sequence).orElse(false);
    }
}
