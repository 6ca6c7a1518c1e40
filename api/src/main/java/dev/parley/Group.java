package dev.parley;

import java.util.List;

/**
 * A conversation of any number of members whose membership can change. The creator is its first
 * admin; admins add and remove members, any member renames the group or leaves it. Every change is
 * an entry of the conversation ({@link GroupUpdated}, content type {@link ContentTypeId#GROUP_UPDATED}),
 * ordered with its messages: a member added by the entry at sequence S reads from S on (no earlier
 * history); a member removed at R receives that entry and nothing after it.
 */
public non-sealed interface Group extends Conversation {
    /** The current name (as of the last change this client has seen), empty when none. */
    String name();

    /** The current admins, sorted; the creator first became one. */
    List<String> adminInboxIds();

    /**
     * Adds inboxes; they are welcomed and see the group from this change on. Members already in the
     * group are ignored; when nothing changes, the node writes nothing.
     *
     * @throws PermissionDeniedException this inbox is not an admin (or no longer a member)
     * @throws ProtocolException         a malformed inbox id, or more members than the node allows
     */
    void addMembers(List<String> inboxIds);

    /**
     * Removes members; each receives the change that removed it and nothing after. Inboxes that are not
     * members are ignored; this inbox itself in the list leaves (as {@link #leave()}).
     *
     * @throws PermissionDeniedException this inbox is not an admin (or no longer a member)
     */
    void removeMembers(List<String> inboxIds);

    /**
     * Leaves the group: this inbox receives the change and nothing after; its streams drop the group
     * quietly. When the last admin leaves, the longest-standing remaining member becomes admin.
     *
     * @throws PermissionDeniedException this inbox is no longer a member
     */
    void leave();

    /**
     * Renames the group (any member may).
     *
     * @throws PermissionDeniedException this inbox is no longer a member
     * @throws ProtocolException         a name longer than the node allows
     */
    void updateName(String name);

    /** False once this inbox has left or been removed (as far as this client has seen). */
    boolean isActive();
}
