package dev.parley;

import java.util.List;
import java.util.Optional;

/** The conversations of a client's inbox. */
public interface Conversations {
    /** Creates a group of this inbox and {@code memberInboxIds}; it starts ALLOWED for its creator. */
    Group newGroup(List<String> memberInboxIds);

    /** Creates a named group. */
    Group newGroup(List<String> memberInboxIds, String name);

    /** Creates a DM with one other inbox. */
    Dm newDm(String peerInboxId);

    /** Known conversations, oldest first (call {@link #sync} to fetch new ones). */
    List<Conversation> list();

    Optional<Conversation> getConversationById(String id);

    /** Fetches new conversations, consent changes and messages of non-denied conversations from the node. */
    void sync();

    /** New groups and DMs, created by others or by this inbox. */
    MessageStream<Conversation> stream(StreamOptions<Conversation> options);

    default MessageStream<Conversation> stream() {
        return stream(StreamOptions.<Conversation>builder().build());
    }

    /** Messages of all conversations whose consent state passes the filter (default ALLOWED, UNKNOWN). */
    MessageStream<DecodedMessage> streamAllMessages(StreamOptions<DecodedMessage> options);

    default MessageStream<DecodedMessage> streamAllMessages() {
        return streamAllMessages(StreamOptions.<DecodedMessage>builder().build());
    }
}
