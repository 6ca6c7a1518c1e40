package dev.parley.node.store;

import dev.parley.ConversationType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A conversation as the node knows it: who may read and write its topic, by sequence. Each inbox that
 * ever was a member has its memberships ({@link MemberSpan}s, in order, at most the last one open);
 * the current members are those with an open one. Immutable: a change gives a new entry.
 *
 * @param spans             per inbox that ever was a member, its memberships in order
 * @param admins            the current admins (members); the creator at creation
 * @param changedAtSequence the sequence of the last group update applied, 0 for none: entries of
 *                          one conversation with a higher value are newer
 */
public record ConversationEntry(String id, ConversationType type, String creatorInboxId, long createdAtNs,
                                String name, Map<String, List<MemberSpan>> spans, Set<String> admins,
                                long changedAtSequence) {
    public ConversationEntry {
        Map<String, List<MemberSpan>> copy = new HashMap<>();
        spans.forEach((inbox, list) -> copy.put(inbox, List.copyOf(list)));
        spans = Map.copyOf(copy);
        admins = Set.copyOf(admins);
    }

    /** A new conversation: {@code members} are members from its creation on, the creator is its admin. */
    public ConversationEntry(String id, ConversationType type, Set<String> members, String creatorInboxId,
                             long createdAtNs, String name) {
        this(id, type, creatorInboxId, createdAtNs, name, members.stream()
                .collect(Collectors.toMap(m -> m, m -> List.of(MemberSpan.openFrom(MemberSpan.FROM_CREATION)))), Set.of(creatorInboxId), 0);
    }

    /** Whether {@code inboxId} is a member now. */
    public boolean isMember(String inboxId) {
        return currentSpan(inboxId).isPresent();
    }

    /** Whether {@code inboxId} was a member at any time (it may read up to where its last membership ended). */
    public boolean wasEverMember(String inboxId) {
        return spans.containsKey(inboxId);
    }

    public boolean isAdmin(String inboxId) {
        return admins.contains(inboxId);
    }

    /** The open membership of {@code inboxId}, when it is a member now. */
    public Optional<MemberSpan> currentSpan(String inboxId) {
        List<MemberSpan> list = spans.get(inboxId);
        if (list == null) {
            return Optional.empty();
        }
        MemberSpan last = list.get(list.size() - 1);
        return last.isOpen() ? Optional.of(last) : Optional.empty();
    }

    /**
     * What {@code inboxId} may read after {@code cursor}: the next range [from, to] of sequences it
     * was (or is) a member for, {@code from} at least {@code cursor + 1} and 1; empty when there is
     * none, now or (without being added again) ever.
     */
    public Optional<MemberSpan> visibleAfter(String inboxId, long cursor) {
        for (MemberSpan span : spans.getOrDefault(inboxId, List.of())) {
            if (span.to() > cursor) {
                return Optional.of(new MemberSpan(Math.max(Math.max(span.from(), cursor + 1), 1), span.to()));
            }
        }
        return Optional.empty();
    }

    /** The inboxes that were members from the conversation's creation (whatever happened since). */
    public Set<String> creationMembers() {
        return spans.entrySet().stream().filter(e -> e.getValue().get(0).from() == MemberSpan.FROM_CREATION)
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** The current members. */
    public Set<String> members() {
        return spans.keySet().stream().filter(this::isMember).collect(Collectors.toUnmodifiableSet());
    }

    public List<String> sortedMembers() {
        return members().stream().sorted().toList();
    }

    public List<String> sortedAdmins() {
        return admins.stream().sorted().toList();
    }

    /**
     * This conversation after the group update at {@code sequence}: {@code joined} (not members now)
     * read from {@code sequence} on, {@code departed} (members now) read up to it; {@code admins}
     * and {@code name} replace the current ones.
     */
    public ConversationEntry changedAt(long sequence, Collection<String> joined, Collection<String> departed,
                                       Set<String> admins, String name) {
        if (sequence <= changedAtSequence) {
            throw new IllegalArgumentException("change at " + sequence + " is not after the last one, " + changedAtSequence);
        }
        Map<String, List<MemberSpan>> next = new HashMap<>(spans);
        for (String inbox : departed) {
            MemberSpan open = currentSpan(inbox).orElseThrow(
                    () -> new IllegalArgumentException(inbox + " is not a member"));
            List<MemberSpan> list = new ArrayList<>(next.get(inbox));
            list.set(list.size() - 1, open.endedAt(sequence));
            next.put(inbox, list);
        }
        for (String inbox : joined) {
            if (isMember(inbox)) {
                throw new IllegalArgumentException(inbox + " is a member already");
            }
            List<MemberSpan> list = new ArrayList<>(next.getOrDefault(inbox, List.of()));
            list.add(MemberSpan.openFrom(sequence));
            next.put(inbox, list);
        }
        return new ConversationEntry(id, type, creatorInboxId, createdAtNs, name, next, admins, sequence);
    }
}
