package dev.parley.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a group's members or name, as a client asks the node for it (wire
 * {@code UpdateGroupRequest}). The node orders it in the conversation's log and answers with the
 * sequence of the group update it wrote; a re-sent idempotency key gets the first answer.
 *
 * @param conversationId the group
 * @param add            inboxes to add (admins only)
 * @param remove         members to remove (admins only)
 * @param leave          the caller leaves the group
 * @param newName        the group's new name, when it is renamed
 * @param idempotencyKey the client's key for this change, 1 to 128 characters
 */
public record GroupChange(String conversationId, List<String> add, List<String> remove, boolean leave,
                          Optional<String> newName, String idempotencyKey) {
    public GroupChange {
        Objects.requireNonNull(conversationId, "conversationId");
        add = List.copyOf(add);
        remove = List.copyOf(remove);
        Objects.requireNonNull(newName, "newName");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }
}
