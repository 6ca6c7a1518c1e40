package dev.parley.node.internal.group;

import dev.parley.ConversationType;
import dev.parley.PermissionDeniedException;
import dev.parley.ProtocolException;
import dev.parley.node.internal.access.ConversationDirectory;
import dev.parley.node.internal.access.InboxIds;
import dev.parley.node.store.ConversationChange;
import dev.parley.node.store.ConversationEntry;
import dev.parley.node.store.MemberSpan;
import dev.parley.protocol.GroupUpdate;
import dev.parley.spi.GroupChange;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's {@link GroupChange}, decided against the group as it is when the store assigns the
 * update its sequence S: admins add and remove, any member leaves or renames (an admin removing
 * itself leaves); adds of members and removes of non-members are ignored, and a change left with
 * nothing to do writes nothing. Added inboxes read from S on and get a welcome; departing ones read
 * up to S. Departing admins stop being admins; when no admin is left but members are, the
 * longest-standing member (earliest membership, then inbox id) becomes one. The decided group is
 * {@linkplain ConversationDirectory#pin pinned} in the directory before the store can make the update
 * readable.
 */
public final class GroupUpdateChange implements ConversationChange {
    private final String initiator;
    private final GroupChange request;
    private final int maxMembers;
    private final ConversationDirectory directory;
    private final AtomicBoolean settled = new AtomicBoolean();

    /** {@code request} has been checked for form (inbox ids, key, name length) already. */
    public GroupUpdateChange(String initiator, GroupChange request, int maxMembers, ConversationDirectory directory) {
        this.initiator = initiator;
        this.request = request;
        this.maxMembers = maxMembers;
        this.directory = directory;
    }

    /** @throws ProtocolException the conversation is not a group */
    public static void requireGroup(ConversationEntry conversation) {
        if (conversation.type() != ConversationType.GROUP) {
            throw new ProtocolException("conversation " + conversation.id() + " is a DM; only groups change members or name");
        }
    }

    @Override
    public Optional<Outcome> apply(ConversationEntry current, long sequence) {
        requireGroup(current);
        if (!current.isMember(initiator)) {
            throw new PermissionDeniedException("inbox " + InboxIds.shorten(initiator) + " is not a member of group "
                    + current.id());
        }
        Set<String> othersRemoved = new HashSet<>(request.remove());
        boolean leaves = request.leave() | othersRemoved.remove(initiator);
        if ((!request.add().isEmpty() || !othersRemoved.isEmpty()) && !current.isAdmin(initiator)) {
            throw new PermissionDeniedException("inbox " + InboxIds.shorten(initiator) + " is not an admin of group "
                    + current.id() + "; only admins add and remove members");
        }
        Set<String> added = new TreeSet<>(request.add());
        added.removeIf(current::isMember);
        Set<String> removed = new TreeSet<>(othersRemoved);
        removed.retainAll(current.members());
        List<String> left = leaves ? List.of(initiator) : List.of();
        Optional<String> renamed = request.newName().filter(name -> !name.equals(current.name()));
        if (added.isEmpty() && removed.isEmpty() && left.isEmpty() && renamed.isEmpty()) {
            return Optional.empty();
        }
        Set<String> departed = new HashSet<>(removed);
        departed.addAll(left);
        int membersAfter = current.members().size() - departed.size() + added.size();
        if (!added.isEmpty() && membersAfter > maxMembers) {
            throw new ProtocolException("a conversation has at most " + maxMembers + " members; this change would make "
                    + membersAfter);
        }
        Set<String> admins = new HashSet<>(current.admins());
        admins.removeAll(departed);
        ConversationEntry interim = current.changedAt(sequence, added, departed, admins, renamed.orElse(current.name()));
        ConversationEntry next = admins.isEmpty() && !interim.members().isEmpty()
                ? current.changedAt(sequence, added, departed, Set.of(longestStanding(interim)), interim.name())
                : interim;
        Outcome outcome = new Outcome(next, GroupUpdateContent.payload(update(added, removed, left, renamed, next)),
                added.stream().map(inbox -> WelcomeMessages.added(next, inbox, sequence)).toList());
        directory.pin(next);
        return Optional.of(outcome);
    }

    @Override
    public void settled(boolean written) {
        if (settled.compareAndSet(false, true)) {
            if (written) {
                directory.unpin(request.conversationId());
            } else {
                directory.drop(request.conversationId());
            }
        }
    }

    /** The member with the earliest current membership (members from creation first), then the lowest inbox id. */
    private static String longestStanding(ConversationEntry group) {
        return group.members().stream()
                .min(Comparator.comparingLong((String m) -> group.currentSpan(m).map(MemberSpan::from).orElseThrow())
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    private GroupUpdate update(Set<String> added, Set<String> removed, List<String> left, Optional<String> renamed,
                               ConversationEntry next) {
        return GroupUpdate.newBuilder()
                .setInitiatedByInboxId(initiator)
                .addAllAddedInboxIds(added)
                .addAllRemovedInboxIds(removed)
                .addAllLeftInboxIds(left)
                .setRenamed(renamed.isPresent())
                .setName(renamed.orElse(""))
                .addAllMemberInboxIds(next.sortedMembers())
                .addAllAdminInboxIds(next.sortedAdmins())
                .build();
    }
}
