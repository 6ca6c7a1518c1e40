package dev.parley;

import java.util.List;
import java.util.Optional;

/**
 * A change of a group's members or name: the content of a {@link ContentTypeId#GROUP_UPDATED}
 * message. It is an entry of the conversation like any message, so it streams in order with the
 * chat and shows in {@link Conversation#messages()}; the message's sender is {@code initiatedByInboxId}.
 *
 * @param initiatedByInboxId the inbox that made the change
 * @param addedInboxIds      inboxes added by an admin
 * @param removedInboxIds    inboxes removed by an admin
 * @param leftInboxIds       inboxes that left on their own ({@link Group#leave()})
 * @param newName            the group's new name, or {@code null} when the name did not change
 * @param memberInboxIds     the members after the change, sorted
 * @param adminInboxIds      the admins after the change, sorted
 */
public record GroupUpdated(String initiatedByInboxId, List<String> addedInboxIds, List<String> removedInboxIds,
                           List<String> leftInboxIds, String newName, List<String> memberInboxIds,
                           List<String> adminInboxIds) {
    public GroupUpdated {
        addedInboxIds = List.copyOf(addedInboxIds);
        removedInboxIds = List.copyOf(removedInboxIds);
        leftInboxIds = List.copyOf(leftInboxIds);
        memberInboxIds = List.copyOf(memberInboxIds);
        adminInboxIds = List.copyOf(adminInboxIds);
    }

    /** The new name, when this change renamed the group. */
    public Optional<String> renamedTo() {
        return Optional.ofNullable(newName);
    }
}
