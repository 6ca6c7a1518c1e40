package dev.parley.core.conversation;

import dev.parley.Group;
import dev.parley.core.store.ConversationRecord;

import java.util.List;

final class DefaultGroup extends DefaultConversation implements Group {
    DefaultGroup(ConversationRecord record, ClientState client) {
        super(record, client);
    }

    @Override
    public String name() {
        return record.name();
    }

    @Override
    public List<String> adminInboxIds() {
        throw new UnsupportedOperationException("TODO issue 12");
    }

    @Override
    public void addMembers(List<String> inboxIds) {
        throw new UnsupportedOperationException("TODO issue 12");
    }

    @Override
    public void removeMembers(List<String> inboxIds) {
        throw new UnsupportedOperationException("TODO issue 12");
    }

    @Override
    public void leave() {
        throw new UnsupportedOperationException("TODO issue 12");
    }

    @Override
    public void updateName(String name) {
        throw new UnsupportedOperationException("TODO issue 12");
    }

    @Override
    public boolean isActive() {
        throw new UnsupportedOperationException("TODO issue 12");
    }
}
