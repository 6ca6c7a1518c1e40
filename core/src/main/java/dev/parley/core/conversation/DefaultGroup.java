package dev.parley.core.conversation;

import dev.parley.Group;
import dev.parley.core.store.ConversationRecord;

final class DefaultGroup extends DefaultConversation implements Group {
    DefaultGroup(ConversationRecord record, ClientState client) {
        super(record, client);
    }

    @Override
    public String name() {
        return record.name();
    }
}
