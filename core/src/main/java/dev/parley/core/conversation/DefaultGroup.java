package dev.parley.core.conversation;

import dev.parley.Group;
import dev.parley.core.store.ConversationRecord;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class DefaultGroup extends DefaultConversation implements Group {
    DefaultGroup(ConversationRecord record, ClientState client) {
        super(record, client);
    }

    @Override
    public String name() {
        return current().name();
    }

    @Override
    public List<String> adminInboxIds() {
        return current().adminInboxIds();
    }

    @Override
    public boolean isActive() {
        return current().active();
    }

    @Override
    public void addMembers(List<String> inboxIds) {
        // the node decides who is a member (this client's view may be behind); it writes nothing for no change
        List<String> added = requireInboxIds(inboxIds).stream().distinct().toList();
        if (!added.isEmpty()) {
            client.updateGroup(id(), added, List.of(), false, Optional.empty());
        }
    }

    @Override
    public void removeMembers(List<String> inboxIds) {
        List<String> removed = requireInboxIds(inboxIds).stream().distinct().toList();
        boolean leaving = removed.contains(client.inboxId);
        List<String> others = removed.stream().filter(id -> !id.equals(client.inboxId)).toList();
        if (!removed.isEmpty()) {
            client.updateGroup(id(), List.of(), others, leaving, Optional.empty());
        }
    }

    @Override
    public void leave() {
        client.updateGroup(id(), List.of(), List.of(), true, Optional.empty());
    }

    @Override
    public void updateName(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.equals(current().name())) {
            client.updateGroup(id(), List.of(), List.of(), false, Optional.of(name));
        }
    }

    private static List<String> requireInboxIds(List<String> inboxIds) {
        Objects.requireNonNull(inboxIds, "inboxIds");
        inboxIds.forEach(id -> Objects.requireNonNull(id, "inbox id"));
        return inboxIds;
    }
}
