package dev.parley.core.conversation;

import dev.parley.Dm;
import dev.parley.core.store.ConversationRecord;

final class DefaultDm extends DefaultConversation implements Dm {
    DefaultDm(ConversationRecord record, ClientState client) {
        super(record, client);
    }

    @Override
    public String peerInboxId() {
        return record.memberInboxIds().stream().filter(id -> !id.equals(client.inboxId)).findFirst()
                .orElse(client.inboxId);
    }
}
