package dev.parley.core.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.ContentCodec;
import dev.parley.ContentTypeId;
import dev.parley.GroupUpdated;
import dev.parley.ProtocolException;
import dev.parley.protocol.GroupUpdate;

/**
 * {@code parley.dev/group_updated:1.0}: the wire's {@code GroupUpdate} as {@link GroupUpdated}. Only the
 * node writes this content (clients are refused); the client encodes it only to keep it in its store.
 */
public final class GroupUpdatedCodec implements ContentCodec<GroupUpdated> {
    @Override
    public ContentTypeId contentType() {
        return ContentTypeId.GROUP_UPDATED;
    }

    @Override
    public byte[] encode(GroupUpdated content) {
        GroupUpdate.Builder update = GroupUpdate.newBuilder()
                .setInitiatedByInboxId(content.initiatedByInboxId())
                .addAllAddedInboxIds(content.addedInboxIds())
                .addAllRemovedInboxIds(content.removedInboxIds())
                .addAllLeftInboxIds(content.leftInboxIds())
                .addAllMemberInboxIds(content.memberInboxIds())
                .addAllAdminInboxIds(content.adminInboxIds());
        content.renamedTo().ifPresent(name -> update.setRenamed(true).setName(name));
        return update.build().toByteArray();
    }

    @Override
    public GroupUpdated decode(byte[] bytes) {
        GroupUpdate update;
        try {
            update = GroupUpdate.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolException("malformed group update", e);
        }
        return new GroupUpdated(update.getInitiatedByInboxId(), update.getAddedInboxIdsList(),
                update.getRemovedInboxIdsList(), update.getLeftInboxIdsList(),
                update.getRenamed() ? update.getName() : null, update.getMemberInboxIdsList(),
                update.getAdminInboxIdsList());
    }
}
